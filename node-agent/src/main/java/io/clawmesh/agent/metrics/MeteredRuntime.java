package io.clawmesh.agent.metrics;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.DeltaListener;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Wraps whatever {@link AgentRuntime} the agent runs and counts and times every message it answers or fails, so every
 * adapter is measured the same way without knowing about metrics. When one runtime bean delegates to another (a
 * selector in front of adapters), only the outermost call is counted. {@link #stream} is measured like {@link #send}:
 * one message, timed from the call to its last piece.
 */
final class MeteredRuntime implements AgentRuntime {

    /** Set while a metered send or stream runs on this thread, so a metered runtime called by another is not counted twice. */
    private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

    private final AgentRuntime delegate;

    /** The counter and timer of each outcome, looked up once: a runtime's kind never changes. */
    private final Map<String, Recorded> byOutcome;

    private final Clock clock;

    MeteredRuntime(AgentRuntime delegate, AgentMeters meters, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        String runtime = delegate.info().kind();
        this.byOutcome = Stream.of(AgentMeters.OK, AgentMeters.ERROR, AgentMeters.TIMEOUT)
                .collect(Collectors.toUnmodifiableMap(
                        Function.identity(),
                        (outcome) -> new Recorded(
                                meters.messages(outcome, runtime), meters.runtimeDuration(outcome, runtime))));
    }

    @Override
    public RuntimeInfo info() {
        return this.delegate.info();
    }

    @Override
    public String send(RuntimeRequest request) {
        return metered(request, () -> this.delegate.send(request));
    }

    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        return metered(request, () -> this.delegate.stream(request, deltas));
    }

    private String metered(RuntimeRequest request, Supplier<String> call) {
        if (SENDING.get() != null) {
            return call.get();
        }
        SENDING.set(Boolean.TRUE);
        try {
            return timed(request, call);
        } finally {
            SENDING.remove();
        }
    }

    private String timed(RuntimeRequest request, Supplier<String> call) {
        long start = System.nanoTime();
        String outcome = AgentMeters.ERROR;
        try {
            String reply = call.get();
            outcome = AgentMeters.OK;
            return reply;
        } catch (RuntimeException ex) {
            if (!this.clock.instant().isBefore(request.deadline())) {
                outcome = AgentMeters.TIMEOUT;
            }
            throw ex;
        } finally {
            Recorded recorded = this.byOutcome.get(outcome);
            recorded.messages().increment();
            recorded.duration().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private record Recorded(Counter messages, Timer duration) {}
}
