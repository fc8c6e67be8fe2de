package io.clawmesh.coordinator.audit;

import io.clawmesh.common.audit.AuditEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code audit_log} table: append, read newest first, delete past retention. */
@Repository
public class AuditRepository {

    private final JdbcClient jdbc;

    public AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends one entry; its time is the database's {@code CURRENT_TIMESTAMP}. */
    public void append(
            Actor actor, AuditAction action, @Nullable String target, @Nullable String detail, String outcome) {
        this.jdbc
                .sql("INSERT INTO audit_log (actor_kind, actor_name, address, action, target, detail, outcome)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(actor.kind(), actor.name(), actor.address(), action.wireName(), target, detail, outcome)
                .update();
    }

    /**
     * Entries newest first.
     *
     * @param query which entries; every part optional
     * @param beforeId only entries with a smaller id (the cursor), or {@code null}
     * @param limit at most this many
     */
    public List<AuditEntry> find(AuditQuery query, @Nullable Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, actor_kind, actor_name, address, action,"
                + " target, detail, outcome FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.action() != null) {
            sql.append(" AND action = ?");
            params.add(query.action().wireName());
        }
        if (query.actorKind() != null) {
            sql.append(" AND actor_kind = ?");
            params.add(query.actorKind());
        }
        if (query.actorName() != null) {
            sql.append(" AND actor_name = ?");
            params.add(query.actorName());
        }
        if (query.since() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(time(query.since()));
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            params.add(beforeId);
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        return this.jdbc
                .sql(sql.toString())
                .params(params)
                .query(AuditRepository::map)
                .list();
    }

    /**
     * Deletes up to {@code batch} entries older than {@code cutoff}.
     *
     * @return how many were deleted
     */
    public int deleteBefore(Instant cutoff, int batch) {
        return this.jdbc
                .sql("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < ? ORDER BY id"
                        + " FETCH FIRST " + Math.max(1, batch) + " ROWS ONLY)")
                .param(time(cutoff))
                .update();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        String kind = rs.getString("actor_kind");
        String name = rs.getString("actor_name");
        return new AuditEntry(
                rs.getLong("id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                new Actor(kind, name, null).label(),
                rs.getString("address"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("detail"),
                rs.getString("outcome"));
    }
}
