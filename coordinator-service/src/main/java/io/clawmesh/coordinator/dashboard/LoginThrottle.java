package io.clawmesh.coordinator.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing on the dashboard login. Failed logins are counted per client address and per user
 * name; past a number of free failures each further failure locks that address (or user) out for a while, 30 s at
 * first and doubling up to 15 minutes. While locked out, a login is refused before its password is even checked, so
 * a guess made then tells nothing. A successful login clears both counts. Counts are forgotten 15 minutes after the
 * last failure, and kept in memory only (per replica).
 * <p>
 * The per-user limit is higher than the per-address one: it is there for guessing from many addresses, and it lets
 * an attacker lock a user out, so it should rarely trip for anyone who merely mistypes.
 */
class LoginThrottle {

    static final int FREE_FAILURES_PER_ADDRESS = 5;

    static final int FREE_FAILURES_PER_USER = 20;

    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);

    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    /** Beyond this many remembered keys, the stale ones are dropped at once. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How much longer logins for this user from this address are refused; zero when they are not. */
    Duration lockedFor(String user, String address) {
        Instant now = this.clock.instant();
        Duration byAddress = remaining(addressKey(address), now);
        Duration byUser = remaining(userKey(user), now);
        return (byAddress.compareTo(byUser) >= 0) ? byAddress : byUser;
    }

    void failed(String user, String address) {
        Instant now = this.clock.instant();
        count(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
        count(userKey(user), FREE_FAILURES_PER_USER, now);
        if (this.failures.size() > PRUNE_ABOVE) {
            this.failures.values().removeIf((entry) -> entry.forgotten(now));
        }
    }

    void succeeded(String user, String address) {
        this.failures.remove(addressKey(address));
        this.failures.remove(userKey(user));
    }

    private Duration remaining(String key, Instant now) {
        Failures entry = this.failures.get(key);
        if (entry == null || !entry.lockedUntil().isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, entry.lockedUntil());
    }

    private void count(String key, int free, Instant now) {
        this.failures.compute(key, (ignored, previous) -> {
            int count = (previous == null || previous.forgotten(now)) ? 1 : previous.count() + 1;
            Instant lockedUntil = now;
            if (count > free) {
                int doublings = Math.min(count - free - 1, 10);
                Duration lockout = FIRST_LOCKOUT.multipliedBy(1L << doublings);
                lockedUntil = now.plus((lockout.compareTo(MAX_LOCKOUT) > 0) ? MAX_LOCKOUT : lockout);
            }
            return new Failures(count, now, lockedUntil);
        });
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String userKey(String user) {
        return "user:" + user.toLowerCase(Locale.ROOT);
    }

    /** The failures of one address or user since it last logged in or was forgotten. */
    private record Failures(int count, Instant lastFailure, Instant lockedUntil) {

        boolean forgotten(Instant now) {
            return !this.lockedUntil.isAfter(now)
                    && this.lastFailure.plus(MAX_LOCKOUT).isBefore(now);
        }
    }
}
