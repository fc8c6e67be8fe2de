package io.clawmesh.coordinator.messages;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The message log table: batched inserts, newest-first reads and pruning to a bounded size. */
@Repository
public class MessageLogRepository {

    private static final String SELECT = "SELECT message_id, node_id, node_name, outcome, status, latency_ms, attempts,"
            + " rule_id, source, error, created_at FROM message_log";

    private final JdbcTemplate jdbcTemplate;

    private final JdbcClient jdbc;

    public MessageLogRepository(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    /** One transaction for the whole batch: one commit instead of one per row. */
    @Transactional
    public void insertAll(List<MessageRecord> records) {
        this.jdbcTemplate.batchUpdate(
                "INSERT INTO message_log (message_id, node_id, node_name, outcome, status, latency_ms,"
                        + " attempts, rule_id, source, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                records,
                records.size(),
                (ps, record) -> {
                    ps.setString(1, record.messageId());
                    ps.setString(2, record.nodeId());
                    ps.setString(3, record.nodeName());
                    ps.setString(4, record.outcome().wireName());
                    ps.setInt(5, record.status());
                    ps.setLong(6, record.latencyMs());
                    ps.setInt(7, record.attempts());
                    ps.setString(8, record.ruleId());
                    ps.setString(9, truncate(record.source(), 200));
                    ps.setString(10, truncate(record.error(), 1000));
                    ps.setObject(11, record.createdAt().atOffset(ZoneOffset.UTC));
                });
    }

    /** The newest records first. */
    public List<MessageRecord> findRecent(int limit) {
        return this.jdbc
                .sql(SELECT + " ORDER BY seq DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")
                .query(MessageLogRepository::mapRecord)
                .list();
    }

    /** The newest records answered by (or last tried on) one node, newest first. */
    public List<MessageRecord> findRecentForNode(String nodeId, int limit) {
        return this.jdbc
                .sql(SELECT + " WHERE node_id = ? ORDER BY seq DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")
                .param(nodeId)
                .query(MessageLogRepository::mapRecord)
                .list();
    }

    /** How many messages were logged since {@code since}, and how many of them needed more than one node. */
    public MessageCounts countSince(Instant since) {
        return this.jdbc
                .sql("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), 0) AS failovers"
                        + " FROM message_log WHERE created_at >= ?")
                .param(since.atOffset(ZoneOffset.UTC))
                .query((rs, rowNum) -> new MessageCounts(rs.getLong("total"), rs.getLong("failovers")))
                .single();
    }

    private static MessageRecord mapRecord(ResultSet rs, int rowNum) throws SQLException {
        return new MessageRecord(
                rs.getString("message_id"),
                rs.getString("node_id"),
                rs.getString("node_name"),
                MessageRecord.Outcome.valueOf(rs.getString("outcome")
                        .toUpperCase(java.util.Locale.ROOT)
                        .replace('-', '_')),
                rs.getInt("status"),
                rs.getLong("latency_ms"),
                rs.getInt("attempts"),
                rs.getString("rule_id"),
                rs.getString("source"),
                rs.getString("error"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    public long count() {
        return this.jdbc
                .sql("SELECT COUNT(*) FROM message_log")
                .query(Long.class)
                .single();
    }

    /** Deletes all but the newest {@code keep} records. */
    public int prune(int keep) {
        Long max = this.jdbc
                .sql("SELECT MAX(seq) FROM message_log")
                .query(Long.class)
                .optional()
                .orElse(null);
        if (max == null) {
            return 0;
        }
        return this.jdbc
                .sql("DELETE FROM message_log WHERE seq <= ?")
                .param(max - keep)
                .update();
    }

    private static String truncate(String value, int max) {
        return (value == null || value.length() <= max) ? value : value.substring(0, max);
    }
}
