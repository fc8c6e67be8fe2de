package io.clawmesh.agent.metrics;

import io.clawmesh.agent.runtime.CapacityGate;

/**
 * The agent's {@link CapacityGate} that also counts refusals: a message refused because every slot is taken never
 * reaches the runtime, so it is counted here as {@code outcome="rejected"}.
 */
final class MeteredCapacityGate extends CapacityGate {

    private final Runnable onRejected;

    MeteredCapacityGate(int capacity, Runnable onRejected) {
        super(capacity);
        this.onRejected = onRejected;
    }

    @Override
    public boolean tryEnter() {
        boolean entered = super.tryEnter();
        if (!entered) {
            this.onRejected.run();
        }
        return entered;
    }
}
