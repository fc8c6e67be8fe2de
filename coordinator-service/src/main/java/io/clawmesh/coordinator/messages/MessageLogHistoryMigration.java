package io.clawmesh.coordinator.messages;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Flyway's V13.1: carries the message log's per-message rows, which V13 kept as {@code message_log_v12}, over into
 * rows of one batch each (ADR 0019), oldest first and in the order they were written, then drops the old table, so
 * the upgrade keeps the log's history. It runs in Flyway's transaction: a failure leaves both tables as they were. A
 * row whose outcome this version does not know (none was ever written) is left out and counted in the log line.
 */
@Component
public class MessageLogHistoryMigration implements JavaMigration {

    private static final Logger logger = LoggerFactory.getLogger(MessageLogHistoryMigration.class);

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("13.1");
    }

    @Override
    public String getDescription() {
        return "message log history in rows of one batch";
    }

    @Override
    public @Nullable Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        JdbcTemplate jdbcTemplate = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        MessageLogRepository repository = new MessageLogRepository(jdbcTemplate, JdbcClient.create(jdbcTemplate));
        List<MessageRecord> batch = new ArrayList<>(MessageLogRepository.ROW_RECORDS);
        long carried = 0;
        long skipped = 0;
        try (Statement select = connection.createStatement()) {
            // PostgreSQL streams the rows with a fetch size inside a transaction; H2 reads them as it goes
            select.setFetchSize(MessageLogRepository.ROW_RECORDS);
            try (ResultSet rows = select.executeQuery("SELECT message_id, node_id, node_name, outcome, status,"
                    + " latency_ms, attempts, rule_id, source, error, created_at FROM message_log_v12 ORDER BY seq")) {
                while (rows.next()) {
                    MessageRecord record = record(rows);
                    if (record == null) {
                        skipped++;
                        continue;
                    }
                    batch.add(record);
                    if (batch.size() == MessageLogRepository.ROW_RECORDS) {
                        repository.insertAll(batch);
                        carried += batch.size();
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                repository.insertAll(batch);
                carried += batch.size();
            }
            select.execute("DROP TABLE message_log_v12");
        }
        if (carried > 0 || skipped > 0) {
            logger.info(
                    "Carried {} message log records over into rows of one batch{}",
                    carried,
                    (skipped > 0) ? "; left out " + skipped + " with an outcome this version does not know" : "");
        }
    }

    private static @Nullable MessageRecord record(ResultSet rows) throws SQLException {
        MessageRecord.Outcome outcome = MessageRecord.Outcome.fromWireName(rows.getString("outcome"));
        OffsetDateTime createdAt = rows.getObject("created_at", OffsetDateTime.class);
        if (outcome == null || createdAt == null) {
            return null;
        }
        return new MessageRecord(
                rows.getString("message_id"),
                rows.getString("node_id"),
                rows.getString("node_name"),
                outcome,
                rows.getInt("status"),
                rows.getLong("latency_ms"),
                rows.getInt("attempts"),
                rows.getString("rule_id"),
                rows.getString("source"),
                rows.getString("error"),
                createdAt.toInstant());
    }
}
