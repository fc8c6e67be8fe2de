package io.clawmesh.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Slows down password guessing on the dashboard login. Failed logins are counted per client address and per user
 * name; past a number of free failures each further failure locks that address (or user) out for a while, 30 s at
 * first and doubling up to 15 minutes. While locked out, a login is refused before its password is even checked, so
 * a guess made then tells nothing. A successful login clears both counts. Counts are forgotten 15 minutes after the
 * last failure. They live in the coordinator's database (table {@code login_failures}), so with several replicas on
 * one PostgreSQL a failure on one counts on all of them, and a lockout holds whichever replica the next guess reaches.
 * Two replicas counting one key at once both count: each write checks the row's version and retries.
 * <p>
 * What a login attempt can make it remember is bounded: an entry's key is the SHA-256 of the address or user name,
 * never the name itself, user names longer than {@link #MAX_USER_NAME_LENGTH} are not counted at all (the login is
 * refused before it gets here), and the table holds at most {@link #MAX_ENTRIES} entries, dropping the least recently
 * used one beyond that (a lookup counts as a use, so a locked-out address stays remembered however many others
 * come).
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

    /** How often a write that lost a race with another replica is tried again before it gives up. */
    private static final int MAX_ATTEMPTS = 10;

    private static final String NEXT_TOUCH = "(SELECT COALESCE(MAX(touched), 0) + 1 FROM login_failures)";

    private final JdbcClient jdbc;

    private final Clock clock;

    private final int maxEntries;

    /** Beyond this many remembered keys, the stale ones are dropped at once. */
    private final int pruneAbove;

    LoginThrottle(DataSource dataSource, Clock clock) {
        this(dataSource, clock, MAX_ENTRIES);
    }

    LoginThrottle(DataSource dataSource, Clock clock, int maxEntries) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.pruneAbove = maxEntries / 2;
    }

    /** How much longer logins for this user from this address are refused; zero when they are not. */
    Duration lockedFor(String user, String address) {
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String byAddressKey = addressKey(address);
        String byUserKey = userKey(user);
        Duration byAddress = Duration.ZERO;
        Duration byUser = Duration.ZERO;
        boolean found = false;
        for (Row row : this.jdbc
                .sql("SELECT throttle_key, failures, last_failure, locked_until, version FROM login_failures"
                        + " WHERE throttle_key IN (?, ?)")
                .params(byAddressKey, byUserKey)
                .query(LoginThrottle::row)
                .list()) {
            found = true;
            Duration remaining =
                    row.lockedUntil().isAfter(now) ? Duration.between(now, row.lockedUntil()) : Duration.ZERO;
            if (row.key().equals(byAddressKey)) {
                byAddress = remaining;
            } else {
                byUser = remaining;
            }
        }
        if (found) {
            // a lookup is a use: the least recently used rows are the ones dropped past the cap
            this.jdbc
                    .sql("UPDATE login_failures SET touched = " + NEXT_TOUCH + " WHERE throttle_key IN (?, ?)")
                    .params(byAddressKey, byUserKey)
                    .update();
        }
        return (byAddress.compareTo(byUser) >= 0) ? byAddress : byUser;
    }

    void failed(String user, String address) {
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
        count(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
        if (user.length() <= MAX_USER_NAME_LENGTH) {
            count(userKey(user), FREE_FAILURES_PER_USER, now);
        }
        int size = size();
        if (size > this.pruneAbove) {
            this.jdbc
                    .sql("DELETE FROM login_failures WHERE locked_until <= ? AND last_failure < ?")
                    .params(time(now), time(now.minus(MAX_LOCKOUT)))
                    .update();
            size = size();
        }
        if (size > this.maxEntries) {
            List<String> oldest = this.jdbc
                    .sql("SELECT throttle_key FROM login_failures ORDER BY touched, throttle_key")
                    .withMaxRows(size - this.maxEntries)
                    .query(String.class)
                    .list();
            for (String key : oldest) {
                this.jdbc
                        .sql("DELETE FROM login_failures WHERE throttle_key = ?")
                        .param(key)
                        .update();
            }
        }
    }

    void succeeded(String user, String address) {
        this.jdbc
                .sql("DELETE FROM login_failures WHERE throttle_key IN (?, ?)")
                .params(addressKey(address), userKey(user))
                .update();
    }

    /** Counts one failure of this key; when another replica wrote the row meanwhile, counts again on its write. */
    private void count(String key, int free, Instant now) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Row> previous = this.jdbc
                    .sql("SELECT throttle_key, failures, last_failure, locked_until, version FROM login_failures"
                            + " WHERE throttle_key = ?")
                    .param(key)
                    .query(LoginThrottle::row)
                    .optional();
            int count = (previous.isEmpty() || previous.get().forgotten(now))
                    ? 1
                    : previous.get().failures() + 1;
            Instant lockedUntil = now;
            if (count > free) {
                int doublings = Math.min(count - free - 1, 10);
                Duration lockout = FIRST_LOCKOUT.multipliedBy(1L << doublings);
                lockedUntil = now.plus((lockout.compareTo(MAX_LOCKOUT) > 0) ? MAX_LOCKOUT : lockout);
            }
            if (previous.isEmpty()) {
                try {
                    this.jdbc
                            .sql("INSERT INTO login_failures"
                                    + " (throttle_key, failures, last_failure, locked_until, version, touched)"
                                    + " VALUES (?, ?, ?, ?, 0, " + NEXT_TOUCH + ")")
                            .params(key, count, time(now), time(lockedUntil))
                            .update();
                    return;
                } catch (DuplicateKeyException anotherReplicaFirst) {
                    continue;
                }
            }
            int updated = this.jdbc
                    .sql("UPDATE login_failures SET failures = ?, last_failure = ?, locked_until = ?,"
                            + " version = version + 1, touched = " + NEXT_TOUCH
                            + " WHERE throttle_key = ? AND version = ?")
                    .params(
                            count,
                            time(now),
                            time(lockedUntil),
                            key,
                            previous.get().version())
                    .update();
            if (updated == 1) {
                return;
            }
        }
        throw new IllegalStateException("Cannot count a failed login: the row kept changing under it");
    }

    /** How many addresses and user names are remembered now. */
    int size() {
        return this.jdbc
                .sql("SELECT COUNT(*) FROM login_failures")
                .query(Integer.class)
                .single();
    }

    /** The remembered keys: hashes, never a name or address as given. */
    Set<String> keys() {
        return Set.copyOf(this.jdbc
                .sql("SELECT throttle_key FROM login_failures")
                .query(String.class)
                .list());
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

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Row row(ResultSet rs, int rowNumber) throws SQLException {
        return new Row(
                rs.getString("throttle_key"),
                rs.getInt("failures"),
                rs.getObject("last_failure", OffsetDateTime.class).toInstant(),
                rs.getObject("locked_until", OffsetDateTime.class).toInstant(),
                rs.getLong("version"));
    }

    /** The failures of one address or user since it last logged in or was forgotten. */
    private record Row(String key, int failures, Instant lastFailure, Instant lockedUntil, long version) {

        boolean forgotten(Instant now) {
            return !this.lockedUntil.isAfter(now)
                    && this.lastFailure.plus(MAX_LOCKOUT).isBefore(now);
        }
    }
}
