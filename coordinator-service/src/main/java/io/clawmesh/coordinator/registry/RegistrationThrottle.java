package io.clawmesh.coordinator.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Limits what the join token can register ({@link JoinLimitProperties}): a rate per source address, a rate for the
 * token as a whole, and the size of the mesh. A registration that fails (400, 409) gives its permits back, so only new
 * nodes count. In memory, per replica: with several replicas each enforces the rates on its own share.
 */
@Component
public class RegistrationThrottle {

    /** Past this many tracked addresses, idle ones (full buckets) are dropped. */
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final JoinLimitProperties limits;

    private final NodeRegistry registry;

    private final Clock clock;

    private final Map<String, Bucket> addresses = new ConcurrentHashMap<>();

    private final Bucket token;

    public RegistrationThrottle(JoinLimitProperties limits, NodeRegistry registry, Clock clock) {
        this.limits = limits;
        this.registry = registry;
        this.clock = clock;
        this.token = new Bucket(limits.burst(), limits.perMinute(), clock.instant());
    }

    /**
     * Runs a join-token registration from {@code address} if the limits allow it.
     *
     * @throws RegistrationLimitException when a limit is reached; nothing was registered
     */
    public <T> T limit(String address, Supplier<T> registration) {
        if (this.registry.all().size() >= this.limits.maxNodes()) {
            throw new RegistrationLimitException(
                    "the mesh already holds " + this.limits.maxNodes() + " nodes, the most the join token may"
                            + " register (mesh.registry.join-limits.max-nodes); remove nodes, or register with the"
                            + " operator token",
                    Duration.ofMinutes(1));
        }
        Instant now = this.clock.instant();
        Bucket perAddress = bucketOf(address, now);
        Duration wait = perAddress.take(now);
        if (!wait.isZero()) {
            throw new RegistrationLimitException(
                    "too many registrations from " + address + " (mesh.registry.join-limits.per-address-per-minute: "
                            + this.limits.perAddressPerMinute() + "); try again in " + wait.toSeconds() + "s",
                    wait);
        }
        wait = this.token.take(now);
        if (!wait.isZero()) {
            perAddress.giveBack();
            throw new RegistrationLimitException(
                    "too many registrations with the join token (mesh.registry.join-limits.per-minute: "
                            + this.limits.perMinute() + "); try again in " + wait.toSeconds() + "s",
                    wait);
        }
        try {
            return registration.get();
        } catch (RuntimeException ex) {
            perAddress.giveBack();
            this.token.giveBack();
            throw ex;
        }
    }

    private Bucket bucketOf(String address, Instant now) {
        if (this.addresses.size() >= MAX_TRACKED_ADDRESSES) {
            this.addresses.values().removeIf((bucket) -> bucket.isFull(now));
        }
        return this.addresses.computeIfAbsent(
                address, (key) -> new Bucket(this.limits.perAddressBurst(), this.limits.perAddressPerMinute(), now));
    }

    /** A token bucket: {@code capacity} permits, refilled at {@code perMinute}. */
    private static final class Bucket {

        private final double capacity;

        private final double perMilli;

        private double permits;

        private Instant updated;

        Bucket(int capacity, int perMinute, Instant now) {
            this.capacity = capacity;
            this.perMilli = perMinute / 60_000.0;
            this.permits = capacity;
            this.updated = now;
        }

        /** Takes a permit; answers zero, or how long until one is free (nothing taken). */
        synchronized Duration take(Instant now) {
            refill(now);
            if (this.permits >= 1) {
                this.permits--;
                return Duration.ZERO;
            }
            if (this.perMilli <= 0) {
                return Duration.ofHours(1);
            }
            // whole seconds, at least one: Retry-After has no finer unit
            long millis = (long) Math.ceil((1 - this.permits) / this.perMilli);
            return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
        }

        synchronized void giveBack() {
            this.permits = Math.min(this.capacity, this.permits + 1);
        }

        synchronized boolean isFull(Instant now) {
            refill(now);
            return this.permits >= this.capacity;
        }

        private void refill(Instant now) {
            long elapsed = Duration.between(this.updated, now).toMillis();
            if (elapsed > 0) {
                this.permits = Math.min(this.capacity, this.permits + elapsed * this.perMilli);
                this.updated = now;
            }
        }
    }
}
