package io.clawmesh.coordinator.keys;

import java.time.Duration;

/** A client key used more than its rate per minute; the answer is 429 with {@code Retry-After}. */
public class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    public RateLimitedException(String name, int ratePerMinute, Duration retryAfter) {
        super("the client key '" + name + "' may make " + ratePerMinute + " requests a minute; try again in "
                + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return this.retryAfter;
    }
}
