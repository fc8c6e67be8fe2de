package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** The node repository's contract, run on every database the coordinator supports by the subclasses. */
abstract class NodeRepositoryTests {

    private static final Instant NOW = MutableClock.START;

    private TestDatabase database;

    private NodeRepository repository;

    /** A fresh, migrated database for one test; may abort the test when the database is not there. */
    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.repository = RegistryFixtures.repository(this.database);
    }

    @AfterEach
    void tearDown() {
        // Null when the database was not there and the test was skipped.
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void insertWhenEveryColumnSetShouldReadBackAnEqualNode() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");

        this.repository.insert(node);

        assertThat(this.repository.findById(node.id())).contains(node);
        assertThat(this.repository.findByName("mac-mini")).contains(node);
        assertThat(this.repository.findAll()).containsExactly(node);
    }

    @Test
    void insertWhenOptionalValuesMissingShouldReadBackNulls() {
        Node full = RegistryFixtures.everyColumn("node-0000000000000001", "bare");
        Node bare = new Node(
                full.id(),
                full.name(),
                "10.0.0.1:9121",
                Capabilities.none(),
                NodeStatus.OFFLINE,
                null,
                new RuntimeInfo("unknown", null, true),
                0,
                1,
                full.tokenHash(),
                full.registeredAt(),
                full.statusChangedAt());

        this.repository.insert(bare);

        Node read = this.repository.findById(bare.id()).orElseThrow();
        assertThat(read).isEqualTo(bare);
        assertThat(read.lastHeartbeat()).isNull();
        assertThat(read.runtime().version()).isNull();
        assertThat(read.capabilities().tags()).isEmpty();
    }

    @Test
    void insertWhenOutboundWithoutEndpointShouldStoreNullAndReadBackTheMode() {
        Node full = RegistryFixtures.everyColumn("node-0000000000000001", "behind-nat");
        Node outbound = new Node(
                full.id(),
                full.name(),
                "",
                full.capabilities(),
                full.status(),
                full.lastHeartbeat(),
                full.runtime(),
                full.reportedInflight(),
                full.capacity(),
                full.tokenHash(),
                full.registeredAt(),
                full.statusChangedAt(),
                ConnectMode.OUTBOUND);

        this.repository.insert(outbound);

        assertThat(this.repository.findById(outbound.id())).contains(outbound);
        String stored = this.database
                .jdbcClient()
                .sql("SELECT endpoint FROM nodes WHERE id = ?")
                .param(outbound.id())
                .query(String.class)
                .optional()
                .orElse(null);
        assertThat(stored).as("no placeholder endpoint in the database").isNull();
        assertThat(this.repository.findById(full.id()).orElseThrow().outbound()).isTrue();
    }

    @Test
    void insertShouldStoreCapabilitiesAsSnakeCaseJson() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");

        this.repository.insert(node);

        String stored = this.database
                .jdbcClient()
                .sql("SELECT capabilities FROM nodes WHERE id = ?")
                .param(node.id())
                .query(String.class)
                .single();
        assertThat(TestDatabase.jsonMapper().readTree(stored))
                .isEqualTo(
                        TestDatabase.jsonMapper()
                                .readTree(
                                        "{\"os\": \"darwin\", \"arch\": \"arm64\", \"gpu\": true, \"memory_gb\": 32,"
                                                + " \"tags\": [\"xcode\", \"local\"], \"skills\": [\"docker\", \"nodejs\", \"xcode\"]}"));
    }

    @Test
    void insertShouldStoreStatusAsItsWireName() {
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini"));

        assertThat(this.database
                        .jdbcClient()
                        .sql("SELECT status FROM nodes")
                        .query(String.class)
                        .single())
                .isEqualTo("busy");
    }

    @Test
    void insertWhenNameTakenShouldFail() {
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini"));
        Node sameName = RegistryFixtures.node("node-0000000000000002", "mac-mini", 4, 0, Capabilities.none());

        assertThatExceptionOfType(DataIntegrityViolationException.class)
                .isThrownBy(() -> this.repository.insert(sameName));
    }

    @Test
    void insertWhenTokenHashTakenShouldFail() {
        Node first = RegistryFixtures.everyColumn("node-0000000000000001", "first");
        Node second = RegistryFixtures.everyColumn("node-0000000000000002", "second");
        Node sameHash = new Node(
                second.id(),
                second.name(),
                second.endpoint(),
                second.capabilities(),
                second.status(),
                second.lastHeartbeat(),
                second.runtime(),
                second.reportedInflight(),
                second.capacity(),
                first.tokenHash(),
                second.registeredAt(),
                second.statusChangedAt());
        this.repository.insert(first);

        assertThatExceptionOfType(DataIntegrityViolationException.class)
                .isThrownBy(() -> this.repository.insert(sameHash));
    }

    @Test
    void replaceWhenNodeExistsShouldRewriteEveryColumn() {
        Node original = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(original);
        Node changed = new Node(
                original.id(),
                "mac-studio",
                "192.168.1.21:9122",
                new Capabilities("darwin", "arm64", false, 128, List.of("studio"), List.of("ollama")),
                NodeStatus.ONLINE,
                Instant.parse("2026-11-24T01:02:03.004Z"),
                new RuntimeInfo("zeroclaw", null, true),
                1,
                16,
                NodeCredentials.hash("another-token"),
                Instant.parse("2026-11-21T00:00:00Z"),
                Instant.parse("2026-11-24T01:02:03.004Z"));

        boolean updated = this.repository.replace(changed);

        assertThat(updated).isTrue();
        assertThat(this.repository.findById(original.id())).contains(changed);
        assertThat(this.repository.findByName("mac-mini")).isEmpty();
    }

    @Test
    void replaceWhenNodeMissingShouldAnswerFalse() {
        assertThat(this.repository.replace(RegistryFixtures.everyColumn("node-0000000000000001", "gone")))
                .isFalse();
        assertThat(this.repository.findAll()).isEmpty();
    }

    @Test
    void deleteWhenNodeExistsShouldRemoveItOnce() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(node);

        assertThat(this.repository.delete(node.id())).isTrue();
        assertThat(this.repository.findById(node.id())).isEmpty();
        assertThat(this.repository.delete(node.id())).isFalse();
    }

    @Test
    void findUpdatedSinceShouldAnswerRowsWrittenAtOrAfterTheInstant() {
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000001", "early"));
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000002", "late"));
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000003", "later"));
        setUpdatedAt("early", NOW);
        setUpdatedAt("late", NOW.plusSeconds(10));
        setUpdatedAt("later", NOW.plusSeconds(20));

        assertThat(this.repository.findUpdatedSince(NOW.plusSeconds(10)))
                .extracting(Node::name)
                .containsExactlyInAnyOrder("late", "later");
    }

    @Test
    void writesShouldStampUpdatedAtWithTheDatabaseClock() {
        Instant before = this.repository.databaseNow();
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(node);

        assertThat(this.repository.findUpdatedSince(before))
                .extracting(Node::id)
                .containsExactly(node.id());
    }

    @Test
    void renewShouldUpdateReportedStateButNeverIdentityColumns() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(node);
        Capabilities changed = new Capabilities("darwin", "arm64", true, 64, List.of("new"), List.of("docker"));

        boolean renewed = this.repository.renew(
                node.id(), changed, NodeStatus.ONLINE, new RuntimeInfo("echo", null, true), 2, 8, NOW.plusSeconds(5));

        Node stored = this.repository.findById(node.id()).orElseThrow();
        assertThat(renewed).isTrue();
        assertThat(stored.capabilities()).isEqualTo(changed);
        assertThat(stored.status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(stored.lastHeartbeat()).isEqualTo(NOW.plusSeconds(5));
        assertThat(stored.statusChangedAt()).as("status changed from busy").isEqualTo(NOW.plusSeconds(5));
        assertThat(stored.reportedInflight()).isEqualTo(2);
        assertThat(stored.capacity()).isEqualTo(8);
        assertThat(stored.name()).isEqualTo(node.name());
        assertThat(stored.endpoint()).isEqualTo(node.endpoint());
        assertThat(stored.tokenHash()).isEqualTo(node.tokenHash());
    }

    @Test
    void transitionShouldOnlyMoveANodeStillInTheExpectedStatus() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(node);

        assertThat(this.repository.transition(node.id(), NodeStatus.ONLINE, NodeStatus.OFFLINE, NOW, null))
                .as("the node is busy, not online")
                .isFalse();
        assertThat(this.repository.transition(node.id(), NodeStatus.BUSY, NodeStatus.OFFLINE, NOW, null))
                .isTrue();
        assertThat(this.repository.findById(node.id()).orElseThrow().status()).isEqualTo(NodeStatus.OFFLINE);
    }

    @Test
    void transitionWithHeartbeatBeforeShouldNotExpireANodeThatJustHeartbeat() {
        Node node = RegistryFixtures.everyColumn("node-0000000000000001", "mac-mini");
        this.repository.insert(node);
        Instant heartbeat = node.lastHeartbeat();

        assertThat(this.repository.transition(node.id(), node.status(), NodeStatus.OFFLINE, NOW, heartbeat))
                .as("a heartbeat at the cut-off instant is not stale")
                .isFalse();
        assertThat(this.repository.transition(
                        node.id(), node.status(), NodeStatus.OFFLINE, NOW, heartbeat.plusMillis(1)))
                .isTrue();
    }

    private void setUpdatedAt(String name, Instant updatedAt) {
        this.database
                .jdbcClient()
                .sql("UPDATE nodes SET updated_at = ? WHERE name = ?")
                .params(updatedAt.atOffset(java.time.ZoneOffset.UTC), name)
                .update();
    }

    @Test
    void findAllIdsShouldAnswerEveryId() {
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000001", "a"));
        this.repository.insert(RegistryFixtures.everyColumn("node-0000000000000002", "b"));

        assertThat(this.repository.findAllIds())
                .containsExactlyInAnyOrder("node-0000000000000001", "node-0000000000000002");
    }
}
