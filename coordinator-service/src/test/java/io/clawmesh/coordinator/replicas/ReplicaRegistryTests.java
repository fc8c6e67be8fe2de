package io.clawmesh.coordinator.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replicas table on one real database: rows of long-dead replicas are deleted, by the scheduler leader only. */
abstract class ReplicaRegistryTests {

    private static final ReplicaProperties PROPERTIES = new ReplicaProperties(
            null, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(10));

    private TestDatabase database;

    private ReplicaRegistry registry;

    private SchedulerLeadership leaderA;

    private SchedulerLeadership leaderB;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.registry = new ReplicaRegistry(this.database.jdbcClient(), ReplicaIdentity.of("replica-a"), PROPERTIES);
        this.registry.start();
        this.leaderA = leadership("replica-a");
        this.leaderB = leadership("replica-b");
    }

    @AfterEach
    void close() {
        this.leaderA.stop();
        this.leaderB.stop();
        this.registry.stop();
        this.database.close();
    }

    private SchedulerLeadership leadership(String id) {
        ReplicaIdentity identity = ReplicaIdentity.of(id);
        return new SchedulerLeadership(
                new ReplicaConfiguration().lockProvider(this.database.dataSource(), identity),
                identity,
                PROPERTIES,
                new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    @Test
    void forgetDeadShouldDeleteOnlyReplicasGoneLongerThanForgetAfter() {
        insert("replica-long-gone", Duration.ofHours(2));
        insert("replica-just-dead", Duration.ofMinutes(1));

        int deleted = this.registry.forgetDead();

        assertThat(deleted).isEqualTo(1);
        assertThat(ids()).containsExactlyInAnyOrder("replica-a", "replica-just-dead");
    }

    @Test
    void forgetDeadShouldNeverDeleteTheOwnRowEvenWhenItIsStale() {
        this.database
                .jdbcClient()
                .sql("UPDATE coordinator_replicas SET last_seen = ? WHERE id = 'replica-a'")
                .param(Instant.now().minus(Duration.ofHours(3)).atOffset(ZoneOffset.UTC))
                .update();

        assertThat(this.registry.forgetDead()).isZero();
        assertThat(ids()).containsExactly("replica-a");
    }

    @Test
    void scheduleShouldForgetDeadReplicasOnTheLeaderOnly() {
        this.leaderB.start();
        this.leaderA.start();
        insert("replica-long-gone", Duration.ofHours(2));

        new ReplicaCleanupSchedule(this.leaderA, this.registry).forgetDeadReplicas();
        assertThat(ids()).as("A is not the leader: nothing deleted").contains("replica-long-gone");

        this.leaderB.stop();
        this.leaderA.renew();
        new ReplicaCleanupSchedule(this.leaderA, this.registry).forgetDeadReplicas();
        assertThat(ids()).as("A leads now").containsExactly("replica-a");
    }

    @Test
    void forgottenReplicaThatComesBackShouldWriteItsRowAnew() {
        ReplicaRegistry other =
                new ReplicaRegistry(this.database.jdbcClient(), ReplicaIdentity.of("replica-back"), PROPERTIES);
        insert("replica-back", Duration.ofHours(2));
        this.registry.forgetDead();
        assertThat(ids()).doesNotContain("replica-back");

        other.start();
        try {
            other.heartbeat();
            assertThat(ids()).contains("replica-back");
            assertThat(other.all())
                    .filteredOn((replica) -> replica.id().equals("replica-back"))
                    .singleElement()
                    .matches(ReplicaRegistry.Replica::alive);
        } finally {
            other.stop();
        }
    }

    private void insert(String id, Duration age) {
        this.database
                .jdbcClient()
                .sql("INSERT INTO coordinator_replicas (id, address, started_at, last_seen) VALUES (?, 'test', ?, ?)")
                .params(
                        id,
                        Instant.now().minus(age).minusSeconds(60).atOffset(ZoneOffset.UTC),
                        Instant.now().minus(age).atOffset(ZoneOffset.UTC))
                .update();
    }

    private List<String> ids() {
        return this.database
                .jdbcClient()
                .sql("SELECT id FROM coordinator_replicas")
                .query(String.class)
                .list();
    }
}
