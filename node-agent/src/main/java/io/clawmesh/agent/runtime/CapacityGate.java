package io.clawmesh.agent.runtime;

import java.util.concurrent.Semaphore;

/**
 * Bounds how many messages run on the runtime at once ({@code mesh.agent.capacity}) and counts those in flight, which
 * the heartbeat reports to the coordinator.
 */
public class CapacityGate {

    private final int capacity;

    private final Semaphore permits;

    public CapacityGate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("mesh.agent.capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    /** Takes a slot without waiting; {@code false} when all slots are taken. */
    public boolean tryEnter() {
        return this.permits.tryAcquire();
    }

    /** Gives back a slot taken with {@link #tryEnter()}. */
    public void exit() {
        this.permits.release();
    }

    public int inflight() {
        return this.capacity - this.permits.availablePermits();
    }

    public int capacity() {
        return this.capacity;
    }
}
