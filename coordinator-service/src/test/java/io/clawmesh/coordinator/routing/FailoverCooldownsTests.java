package io.clawmesh.coordinator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas' failover cooldowns on one real database, shared through its {@code node_cooldowns} table. */
abstract class FailoverCooldownsTests {

    private static final Duration COOLDOWN = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private FailoverCooldowns replicaA;

    private FailoverCooldowns replicaB;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.replicaA = new FailoverCooldowns(COOLDOWN, this.clock, this.database.jdbcClient());
        this.replicaB = new FailoverCooldowns(COOLDOWN, this.clock, this.database.jdbcClient());
    }

    @AfterEach
    void close() {
        this.database.close();
    }

    @Test
    void nodeThatFailedOnOneReplicaShouldCoolDownOnTheOtherAfterItsRefresh() {
        this.replicaA.coolDown("node-1");
        assertThat(this.replicaA.isCooling("node-1")).as("at once on A").isTrue();
        assertThat(this.replicaB.isCooling("node-1"))
                .as("B has not refreshed yet")
                .isFalse();

        this.replicaB.refresh();

        assertThat(this.replicaB.isCooling("node-1")).isTrue();
        assertThat(this.replicaB.isCooling("node-2")).isFalse();
        this.clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(this.replicaB.isCooling("node-1")).as("ended on B too").isFalse();
    }

    @Test
    void probeSuccessOnTheLeaderShouldEndTheCooldownOnEveryReplica() {
        this.replicaA.coolDown("node-1");
        this.replicaB.refresh();

        this.replicaB.clear("node-1");
        this.replicaA.refresh();

        assertThat(this.replicaA.isCooling("node-1")).isFalse();
        assertThat(this.replicaB.isCooling("node-1")).isFalse();
        assertThat(rows()).isZero();
    }

    @Test
    void secondFailureOnAnotherReplicaShouldExtendTheSharedCooldown() {
        this.replicaA.coolDown("node-1");
        this.clock.advance(Duration.ofSeconds(20));
        this.replicaB.coolDown("node-1");
        this.clock.advance(Duration.ofSeconds(20));

        this.replicaA.refresh();

        assertThat(this.replicaA.isCooling("node-1"))
                .as("B's later failure holds, 40 s after A's own")
                .isTrue();
        assertThat(rows()).isOne();
    }

    @Test
    void refreshShouldDeleteRowsLongEndedAndForgetThem() {
        this.replicaA.coolDown("node-1");
        this.clock.advance(COOLDOWN.plus(Duration.ofMinutes(2)));

        this.replicaB.refresh();

        assertThat(rows()).isZero();
        assertThat(this.replicaB.isCooling("node-1")).isFalse();
    }

    @Test
    void cooldownsWithoutADatabaseShouldStayOnTheirReplica() {
        FailoverCooldowns alone = new FailoverCooldowns(COOLDOWN, this.clock);
        alone.coolDown("node-1");
        alone.refresh();

        assertThat(alone.isCooling("node-1")).isTrue();
        assertThat(rows()).isZero();
    }

    private int rows() {
        return this.database
                .jdbcClient()
                .sql("SELECT COUNT(*) FROM node_cooldowns")
                .query(Integer.class)
                .single();
    }
}
