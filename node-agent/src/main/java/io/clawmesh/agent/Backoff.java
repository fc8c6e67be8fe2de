package io.clawmesh.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for registration attempts: {@code initial × 2^(attempt-1)} plus up to a fifth more
 * at random (so a fleet does not retry in step), never more than {@code max}.
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random) {

    /** The delay before the next try after {@code failures} failures in a row (1 for the first failure). */
    public Duration delay(int failures) {
        long initialMillis = Math.max(1, this.initial.toMillis());
        long maxMillis = Math.max(initialMillis, this.max.toMillis());
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        long base = Math.min(maxMillis, initialMillis << doublings);
        long jitter = this.random.nextLong(base / 5 + 1);
        return Duration.ofMillis(Math.min(maxMillis, base + jitter));
    }
}
