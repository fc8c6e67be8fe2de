package io.clawmesh.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeRepository;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaseSweeperTests {

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private NodeRepository repository;

    private NodeRegistry registry;

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        this.repository = RegistryFixtures.repository(this.database);
        this.registry = RegistryFixtures.registry(
                this.repository, RegistryFixtures.cache(this.repository, this.clock), this.clock);
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void sweepWhenOneNodeMissesItsHeartbeatsShouldMarkItOfflineOnlyAfterTheTimeout() {
        List<String> ids = register(4);
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);
        String silent = ids.getFirst();

        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT);
        heartbeat(ids.subList(1, 4));
        sweeper.sweep();

        assertThat(status(silent)).isEqualTo(NodeStatus.ONLINE);

        this.clock.advance(Duration.ofSeconds(1));
        sweeper.sweep();

        assertThat(status(silent)).isEqualTo(NodeStatus.OFFLINE);
        assertThat(this.repository.findById(silent).orElseThrow().status()).isEqualTo(NodeStatus.OFFLINE);
        assertThat(ids.subList(1, 4)).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.ONLINE));
        assertThat(sweeper.inSelfPreservation()).isFalse();
    }

    @Test
    void sweepWhenCoordinatorStartedAfterTheLastHeartbeatShouldGiveTheLeaseOneTimeoutFromTheStart() {
        String id = register(1).getFirst();
        this.clock.advance(Duration.ofMinutes(5));
        LeaseSweeper restarted = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);

        restarted.sweep();
        assertThat(status(id))
                .as("no heartbeat could arrive while the coordinator was down")
                .isEqualTo(NodeStatus.ONLINE);

        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        restarted.sweep();
        assertThat(status(id)).isEqualTo(NodeStatus.OFFLINE);
    }

    @Test
    void sweepWhenSingleNodeGoesSilentShouldMarkItOffline() {
        String id = register(1).getFirst();
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);

        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        sweeper.sweep();

        assertThat(status(id)).isEqualTo(NodeStatus.OFFLINE);
        assertThat(sweeper.inSelfPreservation()).isFalse();
    }

    @Test
    void sweepWhenHeartbeatsKeepComingShouldMarkNobody() {
        List<String> ids = register(3);
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);

        for (int i = 0; i < 10; i++) {
            this.clock.advance(Duration.ofSeconds(15));
            heartbeat(ids);
            sweeper.sweep();
        }

        assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.ONLINE));
    }

    @Test
    void sweepWhenMostOfTheFleetGoesStaleAtOnceShouldMarkNoneAndEnterSelfPreservation() {
        List<String> ids = register(4);
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);

        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT);
        heartbeat(ids.subList(3, 4));
        this.clock.advance(Duration.ofSeconds(1));
        sweeper.sweep();

        assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.ONLINE));
        assertThat(sweeper.inSelfPreservation()).isTrue();
    }

    @Test
    void sweepWhenHeartbeatsReturnShouldLeaveSelfPreservationAndMarkTheRemainingStaleNode() {
        List<String> ids = register(4);
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);
        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        heartbeat(ids.subList(3, 4));
        sweeper.sweep();
        assertThat(sweeper.inSelfPreservation()).isTrue();

        heartbeat(ids.subList(1, 4));
        sweeper.sweep();

        assertThat(sweeper.inSelfPreservation()).isFalse();
        assertThat(status(ids.getFirst())).isEqualTo(NodeStatus.OFFLINE);
        assertThat(ids.subList(1, 4)).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.ONLINE));
    }

    @Test
    void sweepWhenFleetBelowTheMinimumGoesStaleShouldStillMarkThem() {
        List<String> ids = register(2);
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);

        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        sweeper.sweep();

        assertThat(ids).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.OFFLINE));
        assertThat(sweeper.inSelfPreservation()).isFalse();
    }

    @Test
    void sweepWhenOfflineLongerThanDeregisterAfterShouldEvictAndNotBefore() {
        String id = register(1).getFirst();
        LeaseSweeper sweeper = new LeaseSweeper(this.registry, HealthFixtures.defaults(), this.clock);
        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        sweeper.sweep();
        assertThat(status(id)).isEqualTo(NodeStatus.OFFLINE);

        this.clock.advance(Duration.ofHours(72));
        sweeper.sweep();

        assertThat(this.registry.find(id)).isPresent();

        this.clock.advance(Duration.ofSeconds(1));
        sweeper.sweep();

        assertThat(this.registry.find(id)).isEmpty();
        assertThat(this.repository.findById(id)).isEmpty();
    }

    @Test
    void sweepWhenManyNodesAreLongDeadShouldEvictAtMostTheCapPerSweep() {
        List<String> ids = register(5);
        ids.forEach((id) -> this.registry.transition(id, NodeStatus.OFFLINE, "test"));
        LeaseSweeper sweeper =
                new LeaseSweeper(this.registry, HealthFixtures.properties(Duration.ofHours(1), 2), this.clock);
        this.clock.advance(Duration.ofHours(1).plusSeconds(1));

        sweeper.sweep();
        assertThat(this.repository.findAllIds()).hasSize(3);

        sweeper.sweep();
        assertThat(this.repository.findAllIds()).hasSize(1);

        sweeper.sweep();
        assertThat(this.repository.findAllIds()).isEmpty();
        assertThat(this.registry.all()).isEmpty();
    }

    @Test
    void sweepWhenInSelfPreservationShouldEvictNobody() {
        List<String> ids = register(4);
        this.registry.transition(ids.getFirst(), NodeStatus.OFFLINE, "test");
        List<String> live = ids.subList(1, 4);
        LeaseSweeper sweeper =
                new LeaseSweeper(this.registry, HealthFixtures.properties(Duration.ofMinutes(1), 100), this.clock);

        this.clock.advance(Duration.ofMinutes(2));
        sweeper.sweep();

        assertThat(sweeper.inSelfPreservation()).isTrue();
        assertThat(this.repository.findAllIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(live).allSatisfy((id) -> assertThat(status(id)).isEqualTo(NodeStatus.ONLINE));
    }

    @Test
    void sweepWhenNodeComesBackBeforeEvictionShouldKeepIt() {
        String id = register(1).getFirst();
        LeaseSweeper sweeper =
                new LeaseSweeper(this.registry, HealthFixtures.properties(Duration.ofHours(1), 100), this.clock);
        this.clock.advance(HealthFixtures.HEARTBEAT_TIMEOUT.plusSeconds(1));
        sweeper.sweep();

        this.clock.advance(Duration.ofMinutes(30));
        this.registry.heartbeat(id, RegistryFixtures.alive());
        this.clock.advance(Duration.ofMinutes(31));
        this.registry.heartbeat(id, RegistryFixtures.alive());
        sweeper.sweep();

        assertThat(status(id)).isEqualTo(NodeStatus.ONLINE);
    }

    private List<String> register(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(this.registry
                    .register(RegistryFixtures.request("node-" + i, "10.0.0." + i + ":9121"))
                    .nodeId());
        }
        return ids;
    }

    private void heartbeat(List<String> ids) {
        ids.forEach((id) -> this.registry.heartbeat(id, RegistryFixtures.alive()));
    }

    private NodeStatus status(String id) {
        return this.registry.find(id).map(Node::status).orElseThrow();
    }
}
