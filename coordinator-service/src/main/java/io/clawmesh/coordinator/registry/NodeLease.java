package io.clawmesh.coordinator.registry;

import java.time.Duration;
import java.time.Instant;

/** A node's lease, in Eureka's vocabulary: renewed by heartbeats, expired when none came for the timeout. */
public record NodeLease(Instant lastRenewal) {

    /** Whether no renewal arrived within {@code timeout} before {@code now}. */
    public boolean isExpired(Instant now, Duration timeout) {
        return this.lastRenewal.plus(timeout).isBefore(now);
    }

    /** How long ago the lease was last renewed (zero if the clock went backwards). */
    public Duration age(Instant now) {
        Duration age = Duration.between(this.lastRenewal, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
