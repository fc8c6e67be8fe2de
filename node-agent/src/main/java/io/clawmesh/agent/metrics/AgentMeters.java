package io.clawmesh.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The agent's own meters: {@code mesh_agent_messages_total{outcome,runtime}} and
 * {@code mesh_agent_runtime_duration_seconds{outcome,runtime}} (a histogram). Outcomes are a fixed set, runtimes the
 * handful of adapter kinds, so every tag stays bounded.
 */
public final class AgentMeters {

    /** The message was answered by the runtime. */
    public static final String OK = "ok";

    /** The runtime failed to answer. */
    public static final String ERROR = "error";

    /** The runtime did not answer before the message's deadline. */
    public static final String TIMEOUT = "timeout";

    /** Every slot was taken: the message was refused without reaching the runtime. */
    public static final String REJECTED = "rejected";

    /** Bucket bounds of the runtime histogram: echo answers in microseconds, AI runtimes in seconds to minutes. */
    static final List<Duration> BUCKETS = List.of(
            Duration.ofMillis(5),
            Duration.ofMillis(25),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(300));

    private final MeterProvider<Counter> messages;

    private final MeterProvider<Timer> runtimeDuration;

    public AgentMeters(MeterRegistry registry) {
        this.messages = Counter.builder("mesh.agent.messages")
                .description("Messages handed to this agent, by outcome and runtime")
                .withRegistry(registry);
        this.runtimeDuration = Timer.builder("mesh.agent.runtime.duration")
                .description("Time the runtime took to answer one message")
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .withRegistry(registry);
    }

    /** Creates the series of a runtime at zero, so that rates and alerts see them before the first message. */
    void register(String runtime) {
        for (String outcome : List.of(OK, ERROR, TIMEOUT, REJECTED)) {
            messages(outcome, runtime);
        }
    }

    Counter messages(String outcome, String runtime) {
        return this.messages.withTags("outcome", outcome, "runtime", runtime);
    }

    Timer runtimeDuration(String outcome, String runtime) {
        return this.runtimeDuration.withTags("outcome", outcome, "runtime", runtime);
    }
}
