package io.clawmesh.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.events.NodeProbeFailed;
import io.clawmesh.coordinator.events.RecordedEvents;
import io.clawmesh.coordinator.forwarding.ForwardingFixtures;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import io.clawmesh.coordinator.routing.FailoverCooldowns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeProberTests {

    private final MutableClock clock = new MutableClock();

    private final AtomicInteger probes = new AtomicInteger();

    private volatile int status = 200;

    private volatile String health =
            "{\"status\":\"ok\",\"runtime\":{\"kind\":\"echo\",\"version\":null,\"connected\":true},"
                    + "\"name\":\"n\",\"node_id\":null,\"inflight\":0,\"capacity\":4}";

    private TestDatabase database;

    private NodeRegistry registry;

    private FailoverCooldowns cooldowns;

    private NodeProber prober;

    private HttpServer agent;

    private String nodeId;

    @BeforeEach
    void setUp() throws IOException {
        this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.agent.createContext("/healthz", (exchange) -> {
            this.probes.incrementAndGet();
            byte[] body = this.health.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(this.status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        this.agent.start();
        this.database = TestDatabase.h2();
        this.registry = RegistryFixtures.registry(this.database, this.clock);
        this.cooldowns = new FailoverCooldowns(
                ForwardingFixtures.forwarding(Duration.ofSeconds(5), 3).cooldown(), this.clock);
        this.prober = newProber(new RecordedEvents());
        this.nodeId = this.registry
                .register(RegistryFixtures.request(
                        "n", "127.0.0.1:" + this.agent.getAddress().getPort()))
                .nodeId();
        // The first pass only schedules: first probes are spread over one probe interval.
        this.prober.probeDue();
        assertThat(this.probes).hasValue(0);
    }

    @AfterEach
    void tearDown() {
        this.prober.destroy();
        this.agent.stop(0);
        this.database.close();
    }

    @Test
    void probeDueWhenThreeProbesFailShouldMarkTheNodeOfflineAndNotBefore() {
        this.status = 500;

        probeAfter(Duration.ofSeconds(10));
        probeAfter(Duration.ofSeconds(10));
        assertThat(status()).isEqualTo(NodeStatus.ONLINE);

        probeAfter(Duration.ofSeconds(10));
        assertThat(this.probes).hasValue(3);
        assertThat(status()).isEqualTo(NodeStatus.OFFLINE);
    }

    @Test
    void probeDueWhenProbesFailButTheNodeHeartbeatsMeanwhileShouldNotMarkItOffline() {
        this.status = 500;

        probeAfter(Duration.ofSeconds(10));
        this.clock.advance(Duration.ofSeconds(5));
        this.registry.heartbeat(this.nodeId, RegistryFixtures.alive());
        for (int i = 0; i < 5; i++) {
            probeAfter(Duration.ofSeconds(10));
        }

        assertThat(this.probes).hasValue(6);
        assertThat(status())
                .as("a heartbeat after the first failed probe: the node is alive, only this prober cannot reach it")
                .isEqualTo(NodeStatus.ONLINE);
    }

    @Test
    void probeDueWhenAnotherReplicaWroteAFreshHeartbeatShouldNotMarkTheNodeOfflineAndThenShouldOnceItStops() {
        this.status = 500;
        probeAfter(Duration.ofSeconds(10));
        probeAfter(Duration.ofSeconds(10));
        // another replica took the heartbeat: in the database, not (yet) in this replica's cache
        this.database
                .jdbcClient()
                .sql("UPDATE nodes SET last_heartbeat = ? WHERE id = ?")
                .params(java.time.OffsetDateTime.ofInstant(this.clock.instant(), java.time.ZoneOffset.UTC), this.nodeId)
                .update();

        probeAfter(Duration.ofSeconds(10));
        assertThat(this.probes).hasValue(3);
        assertThat(status())
                .as("the third failed probe, but a heartbeat since the first")
                .isEqualTo(NodeStatus.ONLINE);
        assertThat(this.registry.find(this.nodeId).orElseThrow().lastHeartbeat())
                .as("the refused transition read the node back, heartbeat included")
                .isEqualTo(this.clock.instant().minusSeconds(10));

        // the heartbeats stop (the node died) and the probes keep failing: a new run of failures marks it offline
        this.status = 200;
        probeAfter(Duration.ofSeconds(10));
        this.status = 500;
        for (int i = 0; i < 2; i++) {
            probeAfter(Duration.ofSeconds(10));
            assertThat(status()).isEqualTo(NodeStatus.ONLINE);
        }
        probeAfter(Duration.ofSeconds(10));
        assertThat(status()).isEqualTo(NodeStatus.OFFLINE);
    }

    @Test
    void probeDueWhenNodeIsOfflineShouldBackOffToTheOfflineInterval() {
        probeUntilOffline();
        assertThat(untilNextProbe())
                .as("the probe that found it dead was at the online cadence")
                .isEqualTo(Duration.ofSeconds(10));

        probeAfter(Duration.ofSeconds(10));
        assertThat(untilNextProbe())
                .as("first offline probe: one minute plus up to half a minute of jitter")
                .isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90));

        probeAfter(untilNextProbe());
        assertThat(untilNextProbe()).as("then doubling").isBetween(Duration.ofSeconds(120), Duration.ofSeconds(180));
    }

    private Duration untilNextProbe() {
        return Duration.between(
                this.clock.instant(), this.prober.nextProbeAt(this.nodeId).orElseThrow());
    }

    @Test
    void probeDueWhenAnOfflineNodeRefusesConnectionsShouldNotSendAnHttpRequest() {
        probeUntilOffline();
        this.agent.stop(0);
        RecordedEvents events = new RecordedEvents();
        NodeProber prober = newProber(events);
        try {
            prober.probe(this.registry.find(this.nodeId).orElseThrow());
        } finally {
            prober.destroy();
        }

        assertThat(events.of(NodeProbeFailed.class))
                .singleElement()
                .satisfies((failed) -> assertThat(failed.cause()).startsWith("cannot connect to 127.0.0.1:"));
        assertThat(this.probes).as("HTTP requests the dead node received").hasValue(3);
        assertThat(status()).isEqualTo(NodeStatus.OFFLINE);
    }

    @Test
    void probeDueWhenAnOfflineNodeAnswersShouldBringItBackAndEndItsCooldown() {
        this.registry.transition(this.nodeId, NodeStatus.OFFLINE, "test");
        this.cooldowns.coolDown(this.nodeId);

        probeAfter(Duration.ofSeconds(10));

        assertThat(status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(this.cooldowns.isCooling(this.nodeId)).isFalse();
    }

    @Test
    void probeDueWhenTheRuntimeIsDisconnectedShouldMarkTheNodeDegraded() {
        this.health =
                this.health.replace("\"connected\":true", "\"connected\":false").replace("\"ok\"", "\"degraded\"");

        probeAfter(Duration.ofSeconds(10));

        assertThat(status()).isEqualTo(NodeStatus.DEGRADED);
    }

    private NodeProber newProber(RecordedEvents events) {
        return new NodeProber(
                this.registry,
                new EndpointPolicy(true),
                this.cooldowns,
                HealthFixtures.defaults(),
                TestDatabase.jsonMapper(),
                this.clock,
                events);
    }

    /** Three failed probes at the online cadence: the node is offline after them. */
    private void probeUntilOffline() {
        this.status = 500;
        for (int i = 0; i < 3; i++) {
            probeAfter(Duration.ofSeconds(10));
        }
        assertThat(status()).isEqualTo(NodeStatus.OFFLINE);
    }

    private void probeAfter(Duration duration) {
        this.clock.advance(duration);
        this.prober.probeDue();
    }

    private NodeStatus status() {
        return this.registry.find(this.nodeId).orElseThrow().status();
    }
}
