package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRenewed;
import io.clawmesh.coordinator.events.NodeStatusChanged;
import io.clawmesh.coordinator.registry.InflightTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the dispatcher should look at the queue again: a task was queued, a slot was freed, a heartbeat came, a node
 * registered or came back. Also keeps the short backoffs of nodes that just refused a task, which a heartbeat with
 * room or a freed slot on that node ends early. The dispatcher never wakes on a fixed interval: only a backoff's end
 * bounds its wait.
 */
@Component
public class DispatchSignal {

    private final Semaphore wake = new Semaphore(0);

    private final AtomicBoolean pending = new AtomicBoolean();

    private final Map<String, Instant> backoffs = new ConcurrentHashMap<>();

    private final Clock clock;

    /** Runs a dispatch pass on the caller's thread when no pass is under way; set by the dispatcher when it starts. */
    private volatile @Nullable BooleanSupplier passHere;

    public DispatchSignal(InflightTracker inflight, Clock clock) {
        this.clock = clock;
        inflight.onRelease(this::slotFreed);
    }

    /** Something changed that may let a waiting task go. Cheap: coalesces with a wake-up already pending. */
    public void signal() {
        if (this.pending.compareAndSet(false, true)) {
            this.wake.release();
        }
    }

    /**
     * A task's run gave its node's slot back: dispatches the next task on the caller's thread when the dispatcher is
     * not in a pass, so that it leaves without waiting for the dispatcher's thread to be scheduled (the dispatch gap);
     * else the pass under way, or the one the release's signal starts, takes it. Only task runs call it: a routed
     * message that frees a slot never does a pass of the queue.
     */
    void slotFreedByRun() {
        BooleanSupplier pass = this.passHere;
        if (pass != null) {
            pass.getAsBoolean();
        }
    }

    /**
     * Takes a pending signal back: a pass that starts now sees every change signaled so far, so the dispatcher's
     * thread need not wake for them. The dispatcher calls it at the start of a pass on a caller's thread.
     */
    void consume() {
        if (this.pending.get() && this.wake.tryAcquire()) {
            this.pending.set(false);
        }
    }

    /** The dispatcher's pass on a caller's thread; answers whether it ran (the dispatcher was not in a pass). */
    void passHere(@Nullable BooleanSupplier pass) {
        this.passHere = pass;
    }

    /**
     * Waits for a signal.
     *
     * @param timeout {@code null} to wait until one comes
     * @return whether a signal came
     */
    boolean await(@Nullable Duration timeout) throws InterruptedException {
        boolean signaled;
        if (timeout == null) {
            this.wake.acquire();
            signaled = true;
        } else {
            signaled = this.wake.tryAcquire(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }
        this.pending.set(false);
        return signaled;
    }

    /** Keeps a node out of dispatch for {@code duration}, unless it shows room again sooner. */
    void backOff(String nodeId, Duration duration) {
        this.backoffs.put(nodeId, this.clock.instant().plus(duration));
    }

    boolean isBackedOff(String nodeId) {
        if (this.backoffs.isEmpty()) {
            return false;
        }
        Instant until = this.backoffs.get(nodeId);
        if (until == null) {
            return false;
        }
        if (!until.isAfter(this.clock.instant())) {
            this.backoffs.remove(nodeId, until);
            return false;
        }
        return true;
    }

    /** How long until the first backoff ends; {@code null} when no node is backed off. */
    @Nullable
    Duration untilNextBackoffEnds() {
        Instant now = this.clock.instant();
        Instant first = null;
        for (Instant until : this.backoffs.values()) {
            if (first == null || until.isBefore(first)) {
                first = until;
            }
        }
        return (first == null)
                ? null
                : Duration.between(now, first).isNegative() ? Duration.ZERO : Duration.between(now, first);
    }

    private void slotFreed(String nodeId) {
        this.backoffs.remove(nodeId);
        signal();
    }

    @EventListener
    void onRenewed(NodeRenewed renewed) {
        if (renewed.inflight() < renewed.capacity()) {
            this.backoffs.remove(renewed.node().id());
        }
        signal();
    }

    @EventListener
    void onRegistered(NodeRegistered registered) {
        this.backoffs.remove(registered.node().id());
        signal();
    }

    @EventListener
    void onStatusChanged(NodeStatusChanged changed) {
        if (changed.node().status().routable()) {
            signal();
        }
    }
}
