package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeStatusChanged;
import io.clawmesh.coordinator.events.RecordedEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeRegistryTests {

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private NodeRepository repository;

    private NodeRegistry registry;

    private final RecordedEvents events = new RecordedEvents();

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        this.repository = RegistryFixtures.repository(this.database);
        this.registry = RegistryFixtures.registry(
                this.repository, RegistryFixtures.cache(this.repository, this.clock), this.clock, this.events);
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void registerWhenNewNameShouldIssueNewIdAndTokenAndStoreOnlyTheHash() {
        RegisterNodeResponse response = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        assertThat(response.nodeId()).matches("node-[0-9a-f]{16}");
        assertThat(response.token()).matches("cmn_[A-Za-z0-9_-]{43}");
        Node stored = this.repository.findById(response.nodeId()).orElseThrow();
        assertThat(stored.name()).isEqualTo("gpu-1");
        assertThat(stored.endpoint()).isEqualTo("10.0.0.1:9121");
        assertThat(stored.status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(stored.capacity()).isEqualTo(4);
        assertThat(stored.lastHeartbeat()).isEqualTo(MutableClock.START);
        assertThat(stored.tokenHash()).isEqualTo(NodeCredentials.hash(response.token()));
        assertThat(this.registry.find(response.nodeId())).contains(stored);
    }

    @Test
    void registerWhenTwoNamesShouldIssueTwoIds() {
        String first = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();
        String second = this.registry
                .register(RegistryFixtures.request("gpu-2", "10.0.0.2:9121"))
                .nodeId();

        assertThat(first).isNotEqualTo(second);
        assertThat(this.repository.findAllIds()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void registerWithOwnNodeTokenWhenSameNameAndEndpointShouldKeepIdAndReplaceToken() {
        RegisterNodeResponse first = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        this.clock.advance(Duration.ofMinutes(1));

        RegisterNodeResponse second = this.registry.register(
                RegistryFixtures.request("gpu-1", "10.0.0.1:9121"), Registrant.node(first.nodeId()));

        assertThat(second.nodeId()).isEqualTo(first.nodeId());
        assertThat(second.token()).isNotEqualTo(first.token());
        Node stored = this.repository.findById(first.nodeId()).orElseThrow();
        assertThat(stored.tokenHash()).isEqualTo(NodeCredentials.hash(second.token()));
        assertThat(stored.registeredAt()).isEqualTo(MutableClock.START);
        assertThat(this.registry.findByTokenHash(NodeCredentials.hash(first.token())))
                .isEmpty();
        assertThat(this.registry.findByTokenHash(NodeCredentials.hash(second.token())))
                .get()
                .extracting(Node::id)
                .isEqualTo(first.nodeId());
        assertThat(this.database
                        .jdbcClient()
                        .sql("SELECT COUNT(*) FROM nodes WHERE token_hash = ?")
                        .param(NodeCredentials.hash(first.token()))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void registerWhenSameNameOtherEndpointAndNodeLiveShouldConflict() {
        this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        assertThatExceptionOfType(NodeNameConflictException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.2:9121")))
                .withMessageContaining("node name 'gpu-1' is taken by another node");
        assertThat(this.repository.findByName("gpu-1").orElseThrow().endpoint()).isEqualTo("10.0.0.1:9121");
    }

    @Test
    void registerWhenSameNameOtherEndpointAndNodeDegradedShouldStillConflict() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();
        this.registry.transition(id, NodeStatus.DEGRADED, "test");

        assertThatExceptionOfType(NodeNameConflictException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.2:9121")));
    }

    @Test
    void registerWithJoinTokenWhenSameNameAndEndpointShouldConflict() {
        RegisterNodeResponse first = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        assertThatExceptionOfType(NodeNameConflictException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121")));
        assertThat(this.repository.findById(first.nodeId()).orElseThrow().tokenHash())
                .isEqualTo(NodeCredentials.hash(first.token()));
    }

    @Test
    void registerWithJoinTokenWhenOldNodeOfflineShouldStillConflict() {
        RegisterNodeResponse first = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        this.registry.transition(first.nodeId(), NodeStatus.OFFLINE, "test");

        assertThatExceptionOfType(NodeNameConflictException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.2:9121")));
        assertThat(this.repository.findById(first.nodeId()).orElseThrow().endpoint())
                .isEqualTo("10.0.0.1:9121");
    }

    @Test
    void registerWithOtherNodesTokenShouldBeOutOfScope() {
        this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        RegisterNodeResponse other = this.registry.register(RegistryFixtures.request("gpu-2", "10.0.0.2:9121"));

        assertThatExceptionOfType(NodeScopeException.class)
                .isThrownBy(() -> this.registry.register(
                        RegistryFixtures.request("gpu-1", "10.0.0.2:9121"), Registrant.node(other.nodeId())));
        assertThatExceptionOfType(NodeScopeException.class)
                .isThrownBy(() -> this.registry.register(
                        RegistryFixtures.request("gpu-3", "10.0.0.3:9121"), Registrant.node(other.nodeId())));
        assertThat(this.repository.findByName("gpu-3")).isEmpty();
    }

    @Test
    void heartbeatReportingOfflineShouldRefuseAndKeepTheStatus() {
        RegisterNodeResponse node = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.heartbeat(
                        node.nodeId(), new HeartbeatRequest(NodeStatus.OFFLINE, 0, null, null, null)))
                .withMessageContaining("status 'offline' cannot be reported by a heartbeat");
        assertThat(this.repository.findById(node.nodeId()).orElseThrow().status())
                .isEqualTo(NodeStatus.ONLINE);
    }

    @Test
    void registerWithOperatorTokenWhenSameNameAndOldNodeOfflineShouldTakeItOver() {
        RegisterNodeResponse first = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        this.registry.transition(first.nodeId(), NodeStatus.OFFLINE, "test");
        this.clock.advance(Duration.ofMinutes(5));

        RegisterNodeResponse second =
                this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.2:9121"), Registrant.operator());

        assertThat(second.nodeId()).isEqualTo(first.nodeId());
        Node stored = this.repository.findById(first.nodeId()).orElseThrow();
        assertThat(stored.endpoint()).isEqualTo("10.0.0.2:9121");
        assertThat(stored.status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(stored.lastHeartbeat()).isEqualTo(this.clock.instant());
        assertThat(this.registry.findByTokenHash(NodeCredentials.hash(first.token())))
                .isEmpty();
    }

    @Test
    void registerWhenNodeIdHintWellFormedAndFreeShouldUseIt() {
        RegisterNodeResponse response = this.registry.register(
                RegistryFixtures.requestWithId("gpu-1", "10.0.0.1:9121", "node-00000000000000ab"));

        assertThat(response.nodeId()).isEqualTo("node-00000000000000ab");
    }

    @Test
    void registerWhenNodeIdHintHeldByAnotherNodeShouldIssueANewId() {
        this.registry.register(RegistryFixtures.requestWithId("gpu-1", "10.0.0.1:9121", "node-00000000000000ab"));

        RegisterNodeResponse response = this.registry.register(
                RegistryFixtures.requestWithId("gpu-2", "10.0.0.2:9121", "node-00000000000000ab"));

        assertThat(response.nodeId()).isNotEqualTo("node-00000000000000ab").matches("node-[0-9a-f]{16}");
        assertThat(this.repository
                        .findById("node-00000000000000ab")
                        .orElseThrow()
                        .name())
                .isEqualTo("gpu-1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "node-00000000000000AB",
                "node-0000000000000ab",
                "node-00000000000000abc",
                "host-00000000000000ab"
            })
    void registerWhenNodeIdHintMalformedShouldIssueANewId(String hint) {
        RegisterNodeResponse response =
                this.registry.register(RegistryFixtures.requestWithId("gpu-1", "10.0.0.1:9121", hint));

        assertThat(response.nodeId()).isNotEqualTo(hint).matches("node-[0-9a-f]{16}");
    }

    @Test
    void registerWhenNameInvalidShouldRefuseAndStoreNothing() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu 1", "10.0.0.1:9121")))
                .withMessageStartingWith("name 'gpu 1'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request(null, "10.0.0.1:9121")))
                .withMessage("name is required");
        assertThat(this.repository.findAll()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://10.0.0.1:9121", "10.0.0.1", "10.0.0.1:0", "0.0.0.0:9121", "169.254.169.254:80"})
    void registerWhenEndpointInvalidShouldRefuseAndStoreNothing(String endpoint) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", endpoint)))
                .withMessageContaining("endpoint");
        assertThat(this.repository.findAll()).isEmpty();
    }

    @Test
    void registerWhenEndpointMissingShouldSayItIsRequired() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(new RegisterNodeRequest("gpu-1", null, null)))
                .withMessageStartingWith("endpoint is required");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 10001})
    void registerWhenCapacityOutOfBoundsShouldRefuseAndStoreNothing(int capacity) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121", capacity)))
                .withMessage("capacity must be between 1 and 10000, not " + capacity);
        assertThat(this.repository.findAll()).isEmpty();
    }

    @Test
    void registerWhenCapabilitiesInvalidShouldRefuse() {
        Capabilities badTag = new Capabilities("linux", "amd64", false, 8, List.of("bad tag"), List.of());
        Capabilities negativeMemory = new Capabilities("linux", "amd64", false, -1, List.of(), List.of());

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.registry.register(new RegisterNodeRequest("gpu-1", "10.0.0.1:9121", badTag)))
                .withMessageStartingWith("capabilities.tags entry 'bad tag'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(
                        () -> this.registry.register(new RegisterNodeRequest("gpu-1", "10.0.0.1:9121", negativeMemory)))
                .withMessage("capabilities.memory_gb must be between 0 and 1048576");
        assertThat(this.repository.findAll()).isEmpty();
    }

    @Test
    void registerWhenRuntimeDisconnectedShouldStartDegraded() {
        RegisterNodeRequest request = new RegisterNodeRequest(
                "gpu-1", "10.0.0.1:9121", null, 2, new RuntimeInfo("openclaw", "1.0", false), null);

        String id = this.registry.register(request).nodeId();

        assertThat(this.registry.find(id).orElseThrow().status()).isEqualTo(NodeStatus.DEGRADED);
        assertThat(this.registry.routable()).isEmpty();
    }

    @Test
    void heartbeatWhenNodeUnknownShouldThrowNotFound() {
        assertThatExceptionOfType(NodeNotFoundException.class)
                .isThrownBy(() -> this.registry.heartbeat("node-0000000000000001", RegistryFixtures.alive()))
                .withMessageStartingWith("no node 'node-0000000000000001' is registered");
    }

    @Test
    void heartbeatWhenKnownShouldRenewTheLease() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();
        this.clock.advance(Duration.ofSeconds(15));

        Node renewed = this.registry.heartbeat(id, RegistryFixtures.alive());

        assertThat(renewed.lastHeartbeat()).isEqualTo(this.clock.instant());
        assertThat(this.repository.findById(id).orElseThrow().lastHeartbeat()).isEqualTo(this.clock.instant());
    }

    @Test
    void heartbeatWhenRuntimeDisconnectedShouldMarkDegraded() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();

        Node node = this.registry.heartbeat(id, RegistryFixtures.reporting(0, new RuntimeInfo("openclaw", "1", false)));

        assertThat(node.status()).isEqualTo(NodeStatus.DEGRADED);
        assertThat(this.repository.findById(id).orElseThrow().status()).isEqualTo(NodeStatus.DEGRADED);
        assertThat(this.registry.routable()).isEmpty();
        assertThat(this.events.of(NodeRegistered.class))
                .singleElement()
                .satisfies((event) -> assertThat(event.reregistered()).isFalse());
        assertThat(this.events.of(NodeStatusChanged.class)).singleElement().satisfies((event) -> {
            assertThat(event.node().id()).isEqualTo(id);
            assertThat(event.previous()).isEqualTo(NodeStatus.ONLINE);
            assertThat(event.node().status()).isEqualTo(NodeStatus.DEGRADED);
            assertThat(event.reason()).isEqualTo("heartbeat");
        });
    }

    @Test
    void heartbeatWhenInflightReachesCapacityShouldMarkBusy() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121", 2))
                .nodeId();

        assertThat(this.registry
                        .heartbeat(id, RegistryFixtures.reporting(1, null))
                        .status())
                .isEqualTo(NodeStatus.ONLINE);
        Node busy = this.registry.heartbeat(id, RegistryFixtures.reporting(2, null));

        assertThat(busy.status()).isEqualTo(NodeStatus.BUSY);
        assertThat(busy.reportedInflight()).isEqualTo(2);
        assertThat(this.registry.routable()).extracting(Node::id).containsExactly(id);
    }

    @Test
    void heartbeatWhenDegradedNodeReconnectsShouldComeBackOnline() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();
        this.registry.heartbeat(id, RegistryFixtures.reporting(0, new RuntimeInfo("openclaw", "1", false)));
        this.clock.advance(Duration.ofSeconds(15));

        Node node = this.registry.heartbeat(id, RegistryFixtures.reporting(0, new RuntimeInfo("openclaw", "1", true)));

        assertThat(node.status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(node.statusChangedAt()).isEqualTo(this.clock.instant());
    }

    @Test
    void heartbeatWhenInflightNegativeShouldRefuse() {
        String id = this.registry
                .register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"))
                .nodeId();

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() ->
                        this.registry.heartbeat(id, new HeartbeatRequest(NodeStatus.ONLINE, -1, null, null, null)))
                .withMessage("inflight must be between 0 and 1000000, not -1");
    }

    @Test
    void deregisterWhenKnownShouldRemoveTheNodeAndItsToken() {
        RegisterNodeResponse response = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));

        this.registry.deregister(response.nodeId(), "test");

        assertThat(this.repository.findById(response.nodeId())).isEmpty();
        assertThat(this.registry.find(response.nodeId())).isEmpty();
        assertThat(this.registry.findByTokenHash(NodeCredentials.hash(response.token())))
                .isEmpty();
        assertThatExceptionOfType(NodeNotFoundException.class)
                .isThrownBy(() -> this.registry.deregister(response.nodeId(), "again"));
        assertThat(this.events.of(NodeRemoved.class)).singleElement().satisfies((event) -> {
            assertThat(event.node().id()).isEqualTo(response.nodeId());
            assertThat(event.reason()).isEqualTo("test");
        });
    }

    @Test
    void restartWhenNewCacheOverTheSameDatabaseShouldKeepNodesAndTokens() {
        RegisterNodeResponse response = this.registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        NodeCache freshCache = RegistryFixtures.cache(this.repository, this.clock);
        NodeRegistry restarted = RegistryFixtures.registry(this.repository, freshCache, this.clock);

        freshCache.afterSingletonsInstantiated();

        assertThat(restarted.findByTokenHash(NodeCredentials.hash(response.token())))
                .get()
                .extracting(Node::id, Node::name)
                .containsExactly(response.nodeId(), "gpu-1");
        assertThat(restarted.findByIdOrName("gpu-1")).isPresent();
    }
}
