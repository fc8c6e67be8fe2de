package io.clawmesh.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Slows down password guessing on the dashboard login. Failed logins are counted per client address and per user
 * name; past a number of free failures each further failure locks that address (or user) out for a while, 30 s at
 * first and doubling up to 15 minutes. While locked out, a login is refused before its password is even checked, so
 * a guess made then tells nothing. A successful login clears both counts. Counts are forgotten 15 minutes after the
 * last failure, and kept in memory only (per replica).
 * <p>
 * What a login attempt can make it remember is bounded: an entry's key is the SHA-256 of the address or user name,
 * never the name itself, user names longer than {@link #MAX_USER_NAME_LENGTH} are not counted at all (the login is
 * refused before it gets here), and the table holds at most {@link #MAX_ENTRIES} entries, dropping the least recently
 * used one beyond that.
 * <p>
 * The per-user limit is higher than the per-address one: it is there for guessing from many addresses, and it lets
 * an attacker lock a user out, so it should rarely trip for anyone who merely mistypes.
 */
class LoginThrottle {

    static final int FREE_FAILURES_PER_ADDRESS = 5;

    static final int FREE_FAILURES_PER_USER = 20;

    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);

    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    /** The longest user name a login may carry; longer ones are refused unread. */
    static final int MAX_USER_NAME_LENGTH = 256;

    /** The most addresses and user names remembered at once. */
    static final int MAX_ENTRIES = 10_000;

    /** Beyond this many remembered keys, the stale ones are dropped at once. */
    private static final int PRUNE_ABOVE = MAX_ENTRIES / 2;

    private final Clock clock;

    private final int maxEntries;

    private final Map<String, Failures> failures;

    LoginThrottle(Clock clock) {
        this(clock, MAX_ENTRIES);
    }

    LoginThrottle(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        // access order: a lookup keeps an entry fresh, so the one dropped is the least recently used
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > LoginThrottle.this.maxEntries;
            }
        };
    }

    /** How much longer logins for this user from this address are refused; zero when they are not. */
    synchronized Duration lockedFor(String user, String address) {
        Instant now = this.clock.instant();
        Duration byAddress = remaining(addressKey(address), now);
        Duration byUser = remaining(userKey(user), now);
        return (byAddress.compareTo(byUser) >= 0) ? byAddress : byUser;
    }

    synchronized void failed(String user, String address) {
        Instant now = this.clock.instant();
        count(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
        if (user.length() <= MAX_USER_NAME_LENGTH) {
            count(userKey(user), FREE_FAILURES_PER_USER, now);
        }
        if (this.failures.size() > PRUNE_ABOVE) {
            this.failures.values().removeIf((entry) -> entry.forgotten(now));
        }
    }

    synchronized void succeeded(String user, String address) {
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

    /** How many addresses and user names are remembered now. */
    synchronized int size() {
        return this.failures.size();
    }

    /** The remembered keys: hashes, never a name or address as given. */
    synchronized Set<String> keys() {
        return Set.copyOf(this.failures.keySet());
    }

    private static String addressKey(String address) {
        return hash("address:" + address);
    }

    private static String userKey(String user) {
        if (user.length() > MAX_USER_NAME_LENGTH) {
            // never looked up or stored under its own name: such a login is refused before it is checked
            return hash("user:too-long");
        }
        return hash("user:" + user.toLowerCase(Locale.ROOT));
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    /** The failures of one address or user since it last logged in or was forgotten. */
    private record Failures(int count, Instant lastFailure, Instant lockedUntil) {

        boolean forgotten(Instant now) {
            return !this.lockedUntil.isAfter(now)
                    && this.lastFailure.plus(MAX_LOCKOUT).isBefore(now);
        }
    }
}
