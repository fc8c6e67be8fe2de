package io.clawmesh.coordinator.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key limits of requests a minute, as a token bucket per key that holds {@code rate} tokens and refills at
 * {@code rate} a minute: a burst of up to {@code rate} requests, and {@code rate} a minute after that. In memory per
 * coordinator: with several replicas behind a balancer a key gets up to {@code rate} per replica.
 */
final class KeyRateLimits {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private final Clock clock;

    KeyRateLimits(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @throws RateLimitedException when the bucket is empty, with the time until it holds one again
     */
    void acquire(ClientKey key) {
        Integer rate = key.ratePerMinute();
        if (rate == null) {
            return;
        }
        Bucket bucket = this.buckets.computeIfAbsent(key.id(), (id) -> new Bucket(rate, nanos()));
        long wait = bucket.take(rate, nanos());
        if (wait > 0) {
            throw new RateLimitedException(
                    key.name(), rate, Duration.ofNanos(wait).plusMillis(999));
        }
    }

    void forget(String keyId) {
        this.buckets.remove(keyId);
    }

    private long nanos() {
        return this.clock.millis() * 1_000_000L;
    }

    /** Tokens scaled by {@link #MINUTE_NANOS} so that refilling needs no fractions. */
    private static final class Bucket {

        private long scaledTokens;

        private long updated;

        Bucket(int rate, long now) {
            this.scaledTokens = rate * MINUTE_NANOS;
            this.updated = now;
        }

        /** Takes a token; 0 when it could, else how many nanoseconds until one is there. */
        synchronized long take(int rate, long now) {
            long capacity = rate * MINUTE_NANOS;
            long elapsed = Math.min(MINUTE_NANOS, Math.max(0, now - this.updated));
            this.updated = now;
            this.scaledTokens = Math.min(capacity, this.scaledTokens + elapsed * rate);
            if (this.scaledTokens >= MINUTE_NANOS) {
                this.scaledTokens -= MINUTE_NANOS;
                return 0;
            }
            return (MINUTE_NANOS - this.scaledTokens + rate - 1) / rate;
        }
    }
}
