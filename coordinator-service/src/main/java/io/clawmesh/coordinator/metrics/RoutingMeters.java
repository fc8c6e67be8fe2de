package io.clawmesh.coordinator.metrics;

import io.clawmesh.coordinator.events.ForwardAttempted;
import io.clawmesh.coordinator.events.MessageHandled;
import io.clawmesh.coordinator.events.RoutingEventListener;
import io.clawmesh.coordinator.messages.MessageRecord.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts routed messages by outcome and strategy ({@code mesh_route_requests_total}), failovers
 * ({@code mesh_failovers_total}) and times every forward attempt by node ({@code mesh_forward_duration_seconds}, a
 * histogram), from the forwarder's events, which {@code RoutingEventPublisher} hands over directly. Tag values are fixed sets, plus node names, which {@link NodeMeters}
 * removes with their node.
 */
@Component
public class RoutingMeters implements RoutingEventListener {

    /** Bucket bounds of the forward histogram: an echo node answers in a millisecond, an AI runtime in minutes. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
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
        Duration.ofSeconds(300)
    };

    static final String FORWARD_DURATION = "mesh.forward.duration";

    private final MeterProvider<Counter> routeRequests;

    private final MeterProvider<Timer> forwardDuration;

    private final Counter failovers;

    public RoutingMeters(MeterRegistry registry) {
        this.routeRequests = Counter.builder("mesh.route.requests")
                .description("Messages routed, by how they ended and the strategy that chose the node")
                .withRegistry(registry);
        this.forwardDuration = Timer.builder(FORWARD_DURATION)
                .description("Time of one attempt to hand a message to one node, by node and outcome")
                .serviceLevelObjectives(BUCKETS)
                .withRegistry(registry);
        this.failovers = Counter.builder("mesh.failovers")
                .description("Messages sent on to another node after a node did not take them")
                .register(registry);
    }

    @Override
    @EventListener
    public void onMessageHandled(MessageHandled event) {
        String strategy = event.explicit()
                ? "explicit"
                : (event.strategy() != null) ? event.strategy().wireName() : "none";
        this.routeRequests
                .withTags("outcome", outcome(event.record().outcome()), "strategy", strategy)
                .increment();
        if (event.failovers() > 0) {
            this.failovers.increment(event.failovers());
        }
    }

    @Override
    @EventListener
    public void onForwardAttempted(ForwardAttempted event) {
        this.forwardDuration
                .withTags("node", event.node().name(), "outcome", event.outcome())
                .record(event.duration());
    }

    /** The outcome label: {@code ok}, {@code failed}, {@code timeout} or {@code no_route}. */
    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case ROUTED -> "ok";
            case FAILED -> "failed";
            case TIMED_OUT -> "timeout";
            case NO_ROUTE -> "no_route";
        };
    }
}
