package io.clawmesh.coordinator.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code operator_tokens} table: the hashes of the operator tokens valid after the first rotation. */
@Repository
public class OperatorTokenRepository {

    private final JdbcClient jdbc;

    public OperatorTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every stored token, expired ones included until the next rotation deletes them. */
    public List<StoredToken> findAll() {
        return this.jdbc
                .sql("SELECT token_hash, fingerprint, expires_at FROM operator_tokens")
                .query(OperatorTokenRepository::map)
                .list();
    }

    /**
     * Makes {@code fresh} the current token: every token current so far expires at {@code previousUntil}. On the
     * first rotation {@code initial} (the configured or generated token) is stored first, so that it keeps its
     * overlap too. Tokens that expired before {@code now} are deleted.
     */
    @Transactional
    public void rotate(StoredToken initial, StoredToken fresh, Instant now, Instant previousUntil) {
        Long stored = this.jdbc
                .sql("SELECT COUNT(*) FROM operator_tokens")
                .query(Long.class)
                .single();
        if (stored == 0) {
            insert(initial.withExpiry(null), now);
        }
        this.jdbc
                .sql("UPDATE operator_tokens SET expires_at = ? WHERE expires_at IS NULL")
                .param(time(previousUntil))
                .update();
        this.jdbc
                .sql("DELETE FROM operator_tokens WHERE expires_at < ?")
                .param(time(now))
                .update();
        insert(fresh, now);
    }

    private void insert(StoredToken token, Instant now) {
        this.jdbc
                .sql(
                        "INSERT INTO operator_tokens (token_hash, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(
                        token.hash(),
                        token.fingerprint(),
                        time(now),
                        (token.expiresAt() != null) ? time(token.expiresAt()) : null)
                .update();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static StoredToken map(ResultSet rs, int row) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new StoredToken(
                rs.getString("token_hash"),
                rs.getString("fingerprint"),
                (expires != null) ? expires.toInstant() : null);
    }

    /**
     * One stored operator token.
     *
     * @param hash the SHA-256 of the token, hex
     * @param fingerprint its short non-secret name
     * @param expiresAt when it stops working; {@code null} for the current token
     */
    public record StoredToken(
            String hash, String fingerprint, @Nullable Instant expiresAt) {

        StoredToken withExpiry(@Nullable Instant expiry) {
            return new StoredToken(this.hash, this.fingerprint, expiry);
        }
    }
}
