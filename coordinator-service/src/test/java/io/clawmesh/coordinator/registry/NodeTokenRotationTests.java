package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node token rotation against a real database and two replicas sharing it, each with its own registry cache (ADR
 * 0014): interval 1 h, overlap 30 min, a clock the tests move.
 */
abstract class NodeTokenRotationTests {

    private static final Duration INTERVAL = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private NodeRegistry registryA;

    private NodeTokenRotation replicaA;

    private NodeRegistry registryB;

    private NodeTokenRotation replicaB;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.registryA = RegistryFixtures.registry(this.database, this.clock);
        this.replicaA = RegistryFixtures.rotation(this.database, this.registryA, this.clock, INTERVAL);
        this.registryB = RegistryFixtures.registry(this.database, this.clock);
        this.replicaB = RegistryFixtures.rotation(this.database, this.registryB, this.clock, INTERVAL);
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    private Optional<String> heartbeat(NodeRegistry registry, NodeTokenRotation rotation, String nodeId) {
        return rotation.afterHeartbeat(registry.heartbeat(nodeId, RegistryFixtures.alive()));
    }

    /** Whether {@code token} authenticates as {@code nodeId} on a replica, as the security filter asks. */
    private boolean accepted(NodeRegistry registry, NodeTokenRotation rotation, String token, String nodeId) {
        String hash = NodeCredentials.hash(token);
        Optional<String> id = registry.findByTokenHash(hash).map(Node::id).or(() -> rotation.authenticate(hash));
        return id.equals(Optional.of(nodeId));
    }

    @Test
    void rotationWhenOffDoesNothing() {
        NodeTokenRotation off = RegistryFixtures.rotation(this.database, this.registryA, this.clock, Duration.ZERO);
        RegisterNodeResponse node = this.registryA.register(RegistryFixtures.request("gpu-box", "127.0.0.1:9121"));

        this.clock.advance(Duration.ofDays(30));

        assertThat(heartbeat(this.registryA, off, node.nodeId())).isEmpty();
    }

    @Test
    void heartbeatOnOneReplicaAndFirstUseOnTheOtherShouldRotateWithTheOverlap() {
        RegisterNodeResponse node = this.registryA.register(RegistryFixtures.request("gpu-box", "127.0.0.1:9121"));
        String old = node.token();
        assertThat(heartbeat(this.registryA, this.replicaA, node.nodeId())).isEmpty();
        this.clock.advance(INTERVAL.minusSeconds(1));
        assertThat(heartbeat(this.registryA, this.replicaA, node.nodeId())).isEmpty();

        this.clock.advance(Duration.ofSeconds(1));
        String fresh = heartbeat(this.registryA, this.replicaA, node.nodeId()).orElseThrow();

        // issued, not used: both work, the node row still holds the old token
        this.registryB.reloadNode(node.nodeId());
        assertThat(accepted(this.registryB, this.replicaB, old, node.nodeId())).isTrue();
        assertThat(this.registryB.find(node.nodeId()).orElseThrow().tokenHash()).isEqualTo(NodeCredentials.hash(old));
        // the agent uses the new token at replica B: it becomes the node's token, for replica A too
        assertThat(accepted(this.registryB, this.replicaB, fresh, node.nodeId()))
                .isTrue();
        assertThat(this.registryB.find(node.nodeId()).orElseThrow().tokenHash()).isEqualTo(NodeCredentials.hash(fresh));
        this.registryA.reloadNode(node.nodeId());
        assertThat(accepted(this.registryA, this.replicaA, fresh, node.nodeId()))
                .isTrue();
        assertThat(accepted(this.registryA, this.replicaA, old, node.nodeId()))
                .as("inside the overlap")
                .isTrue();

        this.clock.advance(Duration.ofMinutes(30));
        assertThat(accepted(this.registryA, this.replicaA, old, node.nodeId())).isFalse();
        assertThat(accepted(this.registryB, this.replicaB, old, node.nodeId())).isFalse();
        assertThat(accepted(this.registryB, this.replicaB, fresh, node.nodeId()))
                .isTrue();
        // the interval starts again from the switch
        assertThat(heartbeat(this.registryB, this.replicaB, node.nodeId())).isEmpty();
    }

    @Test
    void heartbeatAfterBeingOfflineLongerThanTheIntervalShouldRotateAndAReplyLostInACrashShouldBeReplaced() {
        RegisterNodeResponse node = this.registryA.register(RegistryFixtures.request("laptop", "127.0.0.1:9121"));
        heartbeat(this.registryA, this.replicaA, node.nodeId());
        this.registryA.transition(node.nodeId(), NodeStatus.OFFLINE, "lease expired");

        this.clock.advance(Duration.ofDays(3));
        String lost = heartbeat(this.registryA, this.replicaA, node.nodeId()).orElseThrow();
        // the agent crashed before storing it and comes back with the old token: a new one, the lost one is void
        this.clock.advance(Duration.ofMinutes(5));
        String fresh = heartbeat(this.registryB, this.replicaB, node.nodeId()).orElseThrow();

        assertThat(fresh).isNotEqualTo(lost);
        assertThat(accepted(this.registryA, this.replicaA, lost, node.nodeId())).isFalse();
        assertThat(accepted(this.registryA, this.replicaA, node.token(), node.nodeId()))
                .isTrue();
        assertThat(accepted(this.registryA, this.replicaA, fresh, node.nodeId()))
                .isTrue();
        assertThat(this.registryA.find(node.nodeId()).orElseThrow().tokenHash()).isEqualTo(NodeCredentials.hash(fresh));
    }

    @Test
    void registeringAgainShouldVoidAPendingAndAPreviousToken() {
        RegisterNodeResponse node = this.registryA.register(RegistryFixtures.request("mac", "127.0.0.1:9121"));
        heartbeat(this.registryA, this.replicaA, node.nodeId());
        this.clock.advance(INTERVAL);
        String first = heartbeat(this.registryA, this.replicaA, node.nodeId()).orElseThrow();
        assertThat(accepted(this.registryA, this.replicaA, first, node.nodeId()))
                .isTrue();
        this.clock.advance(INTERVAL);
        String pending = heartbeat(this.registryA, this.replicaA, node.nodeId()).orElseThrow();

        RegisterNodeResponse again =
                this.registryA.register(RegistryFixtures.request("mac", "127.0.0.1:9121"), Registrant.operator());

        assertThat(again.nodeId()).isEqualTo(node.nodeId());
        assertThat(accepted(this.registryA, this.replicaA, pending, node.nodeId()))
                .isFalse();
        assertThat(accepted(this.registryA, this.replicaA, first, node.nodeId()))
                .isFalse();
        assertThat(accepted(this.registryA, this.replicaA, node.token(), node.nodeId()))
                .isFalse();
        assertThat(accepted(this.registryA, this.replicaA, again.token(), node.nodeId()))
                .isTrue();
    }

    @Test
    void removingTheNodeShouldVoidEveryTokenOfIt() {
        RegisterNodeResponse node = this.registryA.register(RegistryFixtures.request("vps", "127.0.0.1:9121"));
        heartbeat(this.registryA, this.replicaA, node.nodeId());
        this.clock.advance(INTERVAL);
        String pending = heartbeat(this.registryA, this.replicaA, node.nodeId()).orElseThrow();

        this.registryA.deregister(node.nodeId(), "removed by the operator");

        assertThat(accepted(this.registryA, this.replicaA, pending, node.nodeId()))
                .isFalse();
        assertThat(this.database
                        .jdbcClient()
                        .sql("SELECT COUNT(*) FROM node_token_rotations")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
