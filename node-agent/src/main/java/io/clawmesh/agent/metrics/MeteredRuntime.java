package io.clawmesh.agent.metrics;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Wraps whatever {@link AgentRuntime} the agent runs and counts and times every message it answers or fails, so every
 * adapter is measured the same way without knowing about metrics. When one runtime bean delegates to another (a
 * selector in front of adapters), only the outermost call is counted.
 */
final class MeteredRuntime implements AgentRuntime {

    /** Set while a metered send runs on this thread, so a metered runtime called by another is not counted twice. */
    private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

    private final AgentRuntime delegate;

    private final AgentMeters meters;

    private final Clock clock;

    MeteredRuntime(AgentRuntime delegate, AgentMeters meters, Clock clock) {
        this.delegate = delegate;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public RuntimeInfo info() {
        return this.delegate.info();
    }

    @Override
    public String send(RuntimeRequest request) {
        if (SENDING.get() != null) {
            return this.delegate.send(request);
        }
        SENDING.set(Boolean.TRUE);
        try {
            return meteredSend(request);
        } finally {
            SENDING.remove();
        }
    }

    private String meteredSend(RuntimeRequest request) {
        long start = System.nanoTime();
        String outcome = AgentMeters.ERROR;
        try {
            String reply = this.delegate.send(request);
            outcome = AgentMeters.OK;
            return reply;
        } catch (RuntimeException ex) {
            if (!this.clock.instant().isBefore(request.deadline())) {
                outcome = AgentMeters.TIMEOUT;
            }
            throw ex;
        } finally {
            String runtime = this.delegate.info().kind();
            this.meters.messages(outcome, runtime).increment();
            this.meters.runtimeDuration(outcome, runtime).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
