package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTests {

    private final MutableClock clock = new MutableClock();

    private final LoginThrottle throttle = new LoginThrottle(this.clock);

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
        LoginThrottle small = new LoginThrottle(this.clock, 4);
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
