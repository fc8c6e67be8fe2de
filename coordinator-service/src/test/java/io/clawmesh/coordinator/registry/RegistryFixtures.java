package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.audit.AuditRepository;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.events.RecordedEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Nodes, registration requests and a registry wired over a real database, for the registry tests and others. */
public final class RegistryFixtures {

    private RegistryFixtures() {}

    /** The production defaults: capacity 4, at most 10000, refresh every second, full refresh every 30 s. */
    public static RegistryProperties properties() {
        return new RegistryProperties(4, 10000, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public static NodeRepository repository(TestDatabase database) {
        return new NodeRepository(database.jdbcClient(), TestDatabase.jsonMapper());
    }

    public static NodeCache cache(NodeRepository repository, Clock clock) {
        return new NodeCache(repository, properties(), clock);
    }

    /** A registry that accepts loopback and private endpoints (a LAN setup), so tests need no DNS. */
    public static NodeRegistry registry(NodeRepository repository, NodeCache cache, Clock clock) {
        return registry(repository, cache, clock, new RecordedEvents());
    }

    public static NodeRegistry registry(
            NodeRepository repository, NodeCache cache, Clock clock, ApplicationEventPublisher events) {
        return new NodeRegistry(repository, cache, new EndpointPolicy(true), properties(), clock, events);
    }

    public static NodeRegistry registry(TestDatabase database, Clock clock) {
        NodeRepository repository = repository(database);
        return registry(repository, cache(repository, clock), clock);
    }

    /** Node token rotation over {@code database}: {@code rotation} of zero turns it off; the overlap is a minute. */
    public static NodeTokenRotation rotation(
            TestDatabase database, NodeRegistry registry, Clock clock, Duration rotation) {
        NodeTokenRepository repository =
                new NodeTokenRepository(database.jdbcClient(), new DataSourceTransactionManager(database.dataSource()));
        Duration overlap = rotation.isZero() ? Duration.ofMinutes(1) : rotation.dividedBy(2);
        return new NodeTokenRotation(
                repository,
                registry,
                new NodeTokenProperties(rotation, overlap),
                new AuditTrail(new AuditRepository(database.jdbcClient())),
                clock);
    }

    public static Capabilities linuxGpu() {
        return new Capabilities("linux", "amd64", true, 64, List.of("eu", "fast"), List.of("docker", "cuda"));
    }

    public static RegisterNodeRequest request(String name, String endpoint) {
        return new RegisterNodeRequest(name, endpoint, linuxGpu(), null, null, null);
    }

    public static RegisterNodeRequest request(String name, String endpoint, @Nullable Integer capacity) {
        return new RegisterNodeRequest(name, endpoint, linuxGpu(), capacity, null, null);
    }

    public static RegisterNodeRequest requestWithId(String name, String endpoint, String nodeId) {
        return new RegisterNodeRequest(name, endpoint, linuxGpu(), null, null, nodeId);
    }

    /** A heartbeat that reports the node online with nothing in flight. */
    public static HeartbeatRequest alive() {
        return new HeartbeatRequest(NodeStatus.ONLINE, 0, null, null, null);
    }

    public static HeartbeatRequest reporting(int inflight, @Nullable RuntimeInfo runtime) {
        return new HeartbeatRequest(NodeStatus.ONLINE, inflight, null, null, runtime);
    }

    /** An online node with the given load, for selection tests; its token hash is derived from its id. */
    public static Node node(String id, int capacity, int reportedInflight) {
        return node(id, "name-" + id, capacity, reportedInflight, linuxGpu());
    }

    public static Node node(String id, String name, int capacity, int reportedInflight, Capabilities capabilities) {
        Instant at = MutableClock.START;
        return new Node(
                id,
                name,
                "10.0.0.1:9121",
                capabilities,
                NodeStatus.ONLINE,
                at,
                RuntimeInfo.echo(),
                reportedInflight,
                capacity,
                NodeCredentials.hash("token-of-" + id),
                at,
                at);
    }

    /** A node with every column set to something distinctive, for database round trips. */
    public static Node everyColumn(String id, String name) {
        return new Node(
                id,
                name,
                "[2001:db8::7]:9121",
                new Capabilities(
                        "darwin", "arm64", true, 32, List.of("xcode", "local"), List.of("docker", "nodejs", "xcode")),
                NodeStatus.BUSY,
                Instant.parse("2026-11-23T23:00:01.123Z"),
                new RuntimeInfo("openclaw", "2026.9.6", false),
                3,
                7,
                NodeCredentials.hash("token-of-" + id),
                Instant.parse("2026-11-20T08:00:00.456Z"),
                Instant.parse("2026-11-23T22:59:59.789Z"));
    }
}
