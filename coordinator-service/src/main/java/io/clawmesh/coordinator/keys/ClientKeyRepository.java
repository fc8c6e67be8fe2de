package io.clawmesh.coordinator.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code client_keys} table (migration V3). Models are stored as one comma-separated column. */
@Repository
public class ClientKeyRepository {

    private static final String SELECT =
            "SELECT id, name, secret_hash, models, rate_per_minute, created_at, revoked_at,"
                    + " last_used_at, use_count FROM client_keys";

    private final JdbcClient jdbc;

    public ClientKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the name is taken */
    public void insert(ClientKey key) {
        this.jdbc
                .sql("INSERT INTO client_keys (id, name, secret_hash, models, rate_per_minute, created_at, use_count)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 0)")
                .params(
                        key.id(),
                        key.name(),
                        key.secretHash(),
                        key.models().isEmpty() ? null : String.join(",", key.models()),
                        key.ratePerMinute(),
                        time(key.createdAt()))
                .update();
    }

    public List<ClientKey> findAll() {
        return this.jdbc
                .sql(SELECT + " ORDER BY created_at, name")
                .query(ClientKeyRepository::map)
                .list();
    }

    public Optional<ClientKey> findByIdOrName(String idOrName) {
        return this.jdbc
                .sql(SELECT + " WHERE id = ? OR name = ?")
                .params(idOrName, idOrName)
                .query(ClientKeyRepository::map)
                .optional();
    }

    public Optional<ClientKey> findBySecretHash(String secretHash) {
        return this.jdbc
                .sql(SELECT + " WHERE secret_hash = ?")
                .param(secretHash)
                .query(ClientKeyRepository::map)
                .optional();
    }

    /** When the key with this hash was revoked; empty when it is not revoked or does not exist any more. */
    public Optional<Instant> revokedAt(String secretHash) {
        List<Optional<Instant>> rows = this.jdbc
                .sql("SELECT revoked_at FROM client_keys WHERE secret_hash = ?")
                .param(secretHash)
                .query((rs, row) -> Optional.ofNullable(instantOrNull(rs, "revoked_at")))
                .list();
        return rows.isEmpty() ? Optional.of(Instant.EPOCH) : rows.getFirst();
    }

    /** Revokes a key unless it is revoked already; whether this call revoked it. */
    public boolean revoke(String id, Instant at) {
        return this.jdbc
                        .sql("UPDATE client_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                        .params(time(at), id)
                        .update()
                == 1;
    }

    /** Adds {@code uses} to a key's count and moves its last use forward to {@code lastUsedAt}. */
    public void recordUse(String id, long uses, Instant lastUsedAt) {
        this.jdbc
                .sql("UPDATE client_keys SET use_count = use_count + ?,"
                        + " last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ?"
                        + " ELSE last_used_at END"
                        + " WHERE id = ?")
                .params(uses, time(lastUsedAt), time(lastUsedAt), id)
                .update();
    }

    private static ClientKey map(ResultSet rs, int row) throws SQLException {
        String models = rs.getString("models");
        int rate = rs.getInt("rate_per_minute");
        Integer ratePerMinute = rs.wasNull() ? null : rate;
        return new ClientKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("secret_hash"),
                (models == null || models.isEmpty()) ? List.of() : Arrays.asList(models.split(",")),
                ratePerMinute,
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                instantOrNull(rs, "revoked_at"),
                instantOrNull(rs, "last_used_at"),
                rs.getLong("use_count"));
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
