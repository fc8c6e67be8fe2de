package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The login throttle on one real database, whose table every replica shares. */
abstract class LoginThrottleTests {

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private LoginThrottle throttle;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.throttle = new LoginThrottle(this.database.dataSource(), this.clock);
    }

    @AfterEach
    void close() {
        this.database.close();
    }

    @Test
    void failuresOnOneReplicaShouldCountOnAnotherAndASuccessThereShouldClearThem() {
        LoginThrottle replicaB = new LoginThrottle(this.database.dataSource(), this.clock);
        failFrom("10.0.0.1", LoginThrottle.FREE_FAILURES_PER_ADDRESS - 1);
        replicaB.failed("operator", "10.0.0.1");
        assertThat(replicaB.lockedFor("operator", "10.0.0.1"))
                .as("the free failures are used up across both replicas")
                .isZero();

        replicaB.failed("operator", "10.0.0.1");

        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isEqualTo(LoginThrottle.FIRST_LOCKOUT);
        assertThat(replicaB.lockedFor("operator", "10.0.0.1")).isEqualTo(LoginThrottle.FIRST_LOCKOUT);
        replicaB.succeeded("operator", "10.0.0.1");
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isZero();
    }

    @Test
    void failuresCountedAtOnceOnTwoReplicasShouldAllCount() throws Exception {
        LoginThrottle replicaB = new LoginThrottle(this.database.dataSource(), this.clock);
        int perReplica = 10;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> onA = pool.submit(() -> failFrom("10.0.0.9", perReplica));
            Future<?> onB = pool.submit(() -> {
                for (int i = 0; i < perReplica; i++) {
                    replicaB.failed("operator", "10.0.0.9");
                }
            });
            onA.get(60, TimeUnit.SECONDS);
            onB.get(60, TimeUnit.SECONDS);
        }

        // 20 failures from one address: 15 past the free ones, so the lockout doubled 14 times, capped at 15 min
        assertThat(this.throttle.lockedFor("operator", "10.0.0.9")).isEqualTo(LoginThrottle.MAX_LOCKOUT);
        assertThat(this.database
                        .jdbcClient()
                        .sql("SELECT MAX(failures) FROM login_failures")
                        .query(Integer.class)
                        .single())
                .as("no failure lost to a race between the replicas")
                .isEqualTo(2 * perReplica);
    }

    @Test
    void freeFailuresFromOneAddressShouldNotLockAndTheNextShouldLockFor30Seconds() {
        failFrom("10.0.0.1", LoginThrottle.FREE_FAILURES_PER_ADDRESS);
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isZero();

        failFrom("10.0.0.1", 1);

        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isEqualTo(Duration.ofSeconds(30));
        assertThat(this.throttle.lockedFor("someone", "10.0.0.1"))
                .as("every user from that address")
                .isPositive();
        assertThat(this.throttle.lockedFor("operator", "10.0.0.2"))
                .as("the user from elsewhere")
                .isZero();
    }

    @Test
    void eachFurtherFailureShouldDoubleTheLockoutUpTo15Minutes() {
        failFrom("10.0.0.1", LoginThrottle.FREE_FAILURES_PER_ADDRESS + 1);
        this.clock.advance(Duration.ofSeconds(30));
        failFrom("10.0.0.1", 1);
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isEqualTo(Duration.ofMinutes(1));

        failFrom("10.0.0.1", 10);
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void guessingOneUserFromManyAddressesShouldLockThatUserOnly() {
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_USER; i++) {
            this.throttle.failed("Operator", "10.0.1." + i);
        }

        assertThat(this.throttle.lockedFor("operator", "192.168.7.7"))
                .as("user names ignore case")
                .isPositive();
        assertThat(this.throttle.lockedFor("alice", "192.168.7.7")).isZero();
    }

    @Test
    void successShouldClearTheCountsAndOldFailuresShouldBeForgotten() {
        failFrom("10.0.0.1", LoginThrottle.FREE_FAILURES_PER_ADDRESS);
        this.throttle.succeeded("operator", "10.0.0.1");
        failFrom("10.0.0.1", 1);
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1")).isZero();

        failFrom("10.0.0.1", LoginThrottle.FREE_FAILURES_PER_ADDRESS - 1);
        this.clock.advance(LoginThrottle.MAX_LOCKOUT.plusSeconds(1));
        failFrom("10.0.0.1", 1);
        assertThat(this.throttle.lockedFor("operator", "10.0.0.1"))
                .as("failures from more than 15 minutes ago count no more")
                .isZero();
    }

    @Test
    void tableShouldKeepAtMostItsMaximumDroppingTheLeastRecentlyUsedAndOnlyHashes() {
        LoginThrottle small = new LoginThrottle(this.database.dataSource(), this.clock, 4);
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            small.failed("alice", "10.0.0.1");
        }
        small.failed("bob", "10.0.0.2");
        assertThat(small.lockedFor("alice", "10.0.0.1"))
                .as("a lookup keeps the entry fresh")
                .isPositive();
        small.failed("carol", "10.0.0.3");

        assertThat(small.size()).isEqualTo(4);
        assertThat(small.lockedFor("alice", "10.0.0.1")).isPositive();
        assertThat(small.keys()).allMatch((key) -> key.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void userNameLongerThanTheLimitShouldCountForTheAddressOnly() {
        this.throttle.failed("x".repeat(LoginThrottle.MAX_USER_NAME_LENGTH + 1), "10.0.0.1");

        assertThat(this.throttle.size()).isOne();
    }

    private void failFrom(String address, int times) {
        for (int i = 0; i < times; i++) {
            this.throttle.failed("operator", address);
        }
    }
}
