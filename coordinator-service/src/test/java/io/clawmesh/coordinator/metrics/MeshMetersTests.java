package io.clawmesh.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.events.ForwardAttempted;
import io.clawmesh.coordinator.events.MessageHandled;
import io.clawmesh.coordinator.events.NodeProbeFailed;
import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.messages.MessageRecord.Outcome;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeCache;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeRepository;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's meters fed by a real registry on H2 and by the forwarder's events, read as Prometheus reads them. */
class MeshMetersTests {

    private final MutableClock clock = new MutableClock();

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final InflightTracker inflight = new InflightTracker(Clock.systemUTC());

    private TestDatabase database;

    private NodeRegistry registry;

    private NodeMeters nodeMeters;

    private RoutingMeters routingMeters;

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        NodeRepository repository = RegistryFixtures.repository(this.database);
        NodeCache cache = RegistryFixtures.cache(repository, this.clock);
        this.nodeMeters = new NodeMeters(this.prometheus, cache, this.inflight, this.clock);
        this.routingMeters = new RoutingMeters(this.prometheus);
        this.registry = RegistryFixtures.registry(repository, cache, this.clock, (event) -> {
            if (event instanceof NodeRegistered registered) {
                this.nodeMeters.onNodeRegistered(registered);
            } else if (event instanceof NodeRemoved removed) {
                this.nodeMeters.onNodeRemoved(removed);
            }
        });
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void nodesShouldBeCountedByStatusWithInflightAndHeartbeatAgePerNode() {
        String gpu = register("gpu-1");
        register("mac-mini");
        this.inflight.increment(gpu);
        this.inflight.increment(gpu);
        this.clock.advance(Duration.ofSeconds(7));

        assertThat(this.prometheus.scrape())
                .contains("mesh_nodes{status=\"online\"} 2.0")
                .contains("mesh_nodes{status=\"offline\"} 0.0")
                .contains("mesh_node_inflight{node=\"gpu-1\"} 2.0")
                .contains("mesh_node_inflight{node=\"mac-mini\"} 0.0")
                .contains("mesh_heartbeat_age_seconds{node=\"gpu-1\"} 7.0");
    }

    @Test
    void removedNodeShouldLeaveNoMeterBehind() {
        String gpu = register("gpu-1");
        register("mac-mini");
        Node node = this.registry.find(gpu).orElseThrow();
        this.routingMeters.onForwardAttempted(new ForwardAttempted(
                node.ref(), "msg-1", ForwardAttempted.OK, Duration.ofMillis(3), this.clock.instant()));
        this.nodeMeters.onProbeFailed(new NodeProbeFailed(node.ref(), 1, "connection refused", this.clock.instant()));
        assertThat(this.prometheus.scrape())
                .contains("mesh_forward_duration_seconds_count{node=\"gpu-1\",outcome=\"ok\"} 1")
                .contains("mesh_probe_failures_total{node=\"gpu-1\"} 1.0");

        this.registry.deregister(gpu, "deregistered by its agent");

        assertThat(this.prometheus.scrape())
                .doesNotContain("node=\"gpu-1\"")
                .contains("mesh_node_inflight{node=\"mac-mini\"} 0.0")
                .contains("mesh_nodes{status=\"online\"} 1.0");
    }

    @Test
    void reconcileShouldAddNodesItMissedAndDropNodesThatLeft() {
        String gpu = register("gpu-1");
        this.nodeMeters.onNodeRemoved(
                new NodeRemoved(this.registry.find(gpu).orElseThrow().ref(), "test", this.clock.instant()));
        assertThat(this.prometheus.scrape()).doesNotContain("node=\"gpu-1\"");

        this.nodeMeters.reconcile();

        assertThat(this.prometheus.scrape()).contains("mesh_node_inflight{node=\"gpu-1\"} 0.0");
    }

    @Test
    void handledMessagesShouldBeCountedByOutcomeAndStrategyWithTheirFailovers() {
        for (int i = 0; i < 10; i++) {
            handled(Outcome.ROUTED, 1, Strategy.LEAST_BUSY, false);
        }
        handled(Outcome.ROUTED, 3, Strategy.ROUND_ROBIN, false);
        handled(Outcome.NO_ROUTE, 0, null, false);
        handled(Outcome.TIMED_OUT, 1, null, true);

        assertThat(this.prometheus.scrape())
                .contains("mesh_route_requests_total{outcome=\"ok\",strategy=\"least-busy\"} 10.0")
                .contains("mesh_route_requests_total{outcome=\"ok\",strategy=\"round-robin\"} 1.0")
                .contains("mesh_route_requests_total{outcome=\"no_route\",strategy=\"none\"} 1.0")
                .contains("mesh_route_requests_total{outcome=\"timeout\",strategy=\"explicit\"} 1.0")
                .contains("mesh_failovers_total 2.0");
    }

    private String register(String name) {
        return this.registry
                .register(RegistryFixtures.request(name, "10.0.0.7:9121"))
                .nodeId();
    }

    private void handled(Outcome outcome, int attempts, @Nullable Strategy strategy, boolean explicit) {
        MessageRecord record = new MessageRecord(
                "msg-" + System.nanoTime(),
                null,
                null,
                outcome,
                200,
                1,
                attempts,
                null,
                "test",
                null,
                this.clock.instant());
        this.routingMeters.onMessageHandled(new MessageHandled(record, strategy, explicit, "hi", this.clock.instant()));
    }
}
