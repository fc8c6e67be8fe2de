package io.clawmesh.coordinator.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The message log table, one row per flush (ADR 0019): a batch insert is one row, reads decode the newest rows, and
 * pruning deletes whole rows and trims the oldest one it keeps. Several replicas may write to one table; each writes
 * rows of its own records and every read sees them all.
 */
@Repository
public class MessageLogRepository {

    /** The most records one row holds; a longer list is written as several rows. */
    static final int ROW_RECORDS = 1000;

    private final JdbcTemplate jdbcTemplate;

    private final JdbcClient jdbc;

    public MessageLogRepository(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    /** Writes the records, oldest first, as one row per {@value #ROW_RECORDS}, in one transaction. */
    @Transactional
    public void insertAll(List<MessageRecord> records) {
        for (int from = 0; from < records.size(); from += ROW_RECORDS) {
            insertRow(records.subList(from, Math.min(records.size(), from + ROW_RECORDS)));
        }
    }

    private void insertRow(List<MessageRecord> records) {
        RowSummary summary = RowSummary.of(records);
        this.jdbcTemplate.update(
                "INSERT INTO message_log (record_count, failovers, first_at_ms, last_at_ms, records)"
                        + " VALUES (?, ?, ?, ?, ?)",
                records.size(),
                summary.failovers(),
                summary.firstMs(),
                summary.lastMs(),
                MessageBatchCodec.encode(records));
    }

    /** The newest records first. */
    public List<MessageRecord> findRecent(int limit) {
        int wanted = Math.max(1, limit);
        // every row holds at least one record, so the newest `wanted` rows hold enough
        return newestFirst(
                "SELECT records FROM message_log ORDER BY seq DESC FETCH FIRST " + wanted + " ROWS ONLY", null, wanted);
    }

    /** The newest records answered by (or last tried on) one node, newest first. */
    public List<MessageRecord> findRecentForNode(String nodeId, int limit) {
        return newestFirst("SELECT records FROM message_log ORDER BY seq DESC", nodeId, Math.max(1, limit));
    }

    private List<MessageRecord> newestFirst(String sql, @Nullable String nodeId, int limit) {
        List<MessageRecord> found = new ArrayList<>(Math.min(limit, 1000));
        this.jdbcTemplate.query(sql, (rs) -> {
            while (found.size() < limit && rs.next()) {
                List<MessageRecord> row = MessageBatchCodec.decode(rs.getBytes(1));
                for (int i = row.size() - 1; i >= 0 && found.size() < limit; i--) {
                    MessageRecord record = row.get(i);
                    if (nodeId == null || nodeId.equals(record.nodeId())) {
                        found.add(record);
                    }
                }
            }
            return null;
        });
        return found;
    }

    /** How many messages were logged since {@code since}, and how many of them needed more than one node. */
    public MessageCounts countSince(Instant since) {
        long sinceMs = since.toEpochMilli();
        // rows whose oldest record is in a later millisecond lie wholly in the window: their columns answer
        MessageCounts whole = this.jdbc
                .sql("SELECT COALESCE(SUM(record_count), 0) AS total, COALESCE(SUM(failovers), 0) AS failovers"
                        + " FROM message_log WHERE first_at_ms > ?")
                .param(sinceMs)
                .query((rs, rowNum) -> new MessageCounts(rs.getLong("total"), rs.getLong("failovers")))
                .single();
        // rows that straddle the window's start are read record by record
        long[] edge = new long[2];
        this.jdbc
                .sql("SELECT records FROM message_log WHERE first_at_ms <= ? AND last_at_ms >= ?")
                .param(sinceMs)
                .param(sinceMs)
                .query((rs) -> {
                    for (MessageRecord record : MessageBatchCodec.decode(rs.getBytes(1))) {
                        if (!record.createdAt().isBefore(since)) {
                            edge[0]++;
                            edge[1] += (record.attempts() > 1) ? 1 : 0;
                        }
                    }
                });
        return new MessageCounts(whole.total() + edge[0], whole.failovers() + edge[1]);
    }

    /** How many records the table holds. */
    public long count() {
        return this.jdbc
                .sql("SELECT COALESCE(SUM(record_count), 0) FROM message_log")
                .query(Long.class)
                .single();
    }

    /**
     * Deletes all but the newest {@code keep} records: the rows older than those that hold them, and the oldest
     * records of the row where the count reaches {@code keep}.
     *
     * @return how many records were removed
     */
    @Transactional
    public int prune(int keep) {
        List<long[]> rows = this.jdbc
                .sql("SELECT seq, record_count FROM message_log ORDER BY seq DESC")
                .query((rs, rowNum) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .list();
        long kept = 0;
        for (int i = 0; i < rows.size(); i++) {
            long seq = rows.get(i)[0];
            long count = rows.get(i)[1];
            if (kept + count < keep) {
                kept += count;
                continue;
            }
            // the rows after this one, newest first, are the older ones
            int removed = 0;
            for (long[] older : rows.subList(i + 1, rows.size())) {
                removed += (int) older[1];
            }
            if (removed > 0) {
                this.jdbc
                        .sql("DELETE FROM message_log WHERE seq < ?")
                        .param(seq)
                        .update();
            }
            return removed + trim(seq, (int) (keep - kept));
        }
        return 0;
    }

    /** Keeps the newest {@code keep} records of one row; answers how many it removed. */
    private int trim(long seq, int keep) {
        List<byte[]> found = this.jdbc
                .sql("SELECT records FROM message_log WHERE seq = ?")
                .param(seq)
                .query((rs, rowNum) -> rs.getBytes(1))
                .list();
        if (found.isEmpty()) {
            return 0;
        }
        List<MessageRecord> records = MessageBatchCodec.decode(found.getFirst());
        if (records.size() <= keep) {
            return 0;
        }
        if (keep <= 0) {
            this.jdbc.sql("DELETE FROM message_log WHERE seq = ?").param(seq).update();
            return records.size();
        }
        List<MessageRecord> newest = records.subList(records.size() - keep, records.size());
        RowSummary summary = RowSummary.of(newest);
        this.jdbc
                .sql("UPDATE message_log SET record_count = ?, failovers = ?, first_at_ms = ?, records = ?"
                        + " WHERE seq = ?")
                .params(newest.size(), summary.failovers(), summary.firstMs(), MessageBatchCodec.encode(newest), seq)
                .update();
        return records.size() - newest.size();
    }

    /** What a row keeps in columns beside its records: failovers and its oldest and newest record's millisecond. */
    private record RowSummary(int failovers, long firstMs, long lastMs) {

        static RowSummary of(List<MessageRecord> records) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            int failovers = 0;
            for (MessageRecord record : records) {
                long at = record.createdAt().toEpochMilli();
                first = Math.min(first, at);
                last = Math.max(last, at);
                failovers += (record.attempts() > 1) ? 1 : 0;
            }
            return new RowSummary(failovers, first, last);
        }
    }
}
