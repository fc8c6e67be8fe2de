package io.clawmesh.coordinator.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas competing for the scheduler lease on one real database, as their ShedLock rows decide. */
abstract class SchedulerLeadershipTests {

    /** Long enough that a loaded machine never lets the lease end during a test. */
    private static final ReplicaProperties LONG_LEASE = new ReplicaProperties(
            null, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(1));

    /** For the test that waits for a lease to end. */
    private static final ReplicaProperties SHORT_LEASE = new ReplicaProperties(
            null, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofHours(1));

    private TestDatabase database;

    private SchedulerLeadership first;

    private SchedulerLeadership second;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.first = leadership("replica-a", LONG_LEASE);
        this.second = leadership("replica-b", LONG_LEASE);
    }

    @AfterEach
    void close() {
        this.first.stop();
        this.second.stop();
        this.database.close();
    }

    private SchedulerLeadership leadership(String id, ReplicaProperties properties) {
        ReplicaIdentity identity = ReplicaIdentity.of(id);
        return new SchedulerLeadership(
                new ReplicaConfiguration().lockProvider(this.database.dataSource(), identity),
                identity,
                properties,
                this.meters,
                Clock.systemUTC());
    }

    @Test
    void secondReplicaWhenFirstHoldsTheLeaseShouldNotRunTheJob() {
        this.first.start();
        this.second.start();
        AtomicInteger runs = new AtomicInteger();

        boolean ranOnFirst = this.first.runIfLeader("lease-sweep", runs::incrementAndGet);
        boolean ranOnSecond = this.second.runIfLeader("lease-sweep", runs::incrementAndGet);
        this.first.renew();
        this.second.renew();

        assertThat(ranOnFirst).isTrue();
        assertThat(ranOnSecond).isFalse();
        assertThat(this.second.isLeader())
                .as("the renewed lease stays with the first")
                .isFalse();
        assertThat(runs).hasValue(1);
        assertThat(holder()).isEqualTo("replica-a");
        assertThat(this.meters
                        .counter("mesh.replicas.leader.runs", "job", "lease-sweep")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void leaseWhenItsHolderStopsRenewingShouldPassToTheOtherReplica() {
        this.first = leadership("replica-a", SHORT_LEASE);
        this.second = leadership("replica-b", SHORT_LEASE);
        this.first.start();
        this.second.start();
        assertThat(this.second.isLeader()).isFalse();

        // the first replica "dies": it renews no more
        Awaitility.await("the second replica takes the lease once it ends")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    this.second.renew();
                    return this.second.isLeader();
                });

        assertThat(this.first.isLeader())
                .as("the first stopped acting before the lease ended")
                .isFalse();
        assertThat(holder()).isEqualTo("replica-b");
        this.first.renew();
        assertThat(this.first.isLeader())
                .as("it cannot extend a lease another replica holds")
                .isFalse();
    }

    @Test
    void leaseWhenItsHolderStopsCleanlyShouldBeFreeAtOnce() {
        this.first.start();
        this.second.start();

        this.first.stop();
        this.second.renew();

        assertThat(this.second.isLeader()).isTrue();
    }

    private String holder() {
        return this.database
                .jdbcClient()
                .sql("SELECT locked_by FROM shedlock WHERE name = ?")
                .param(SchedulerLeadership.LEASE)
                .query(String.class)
                .single();
    }
}
