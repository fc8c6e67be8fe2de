package io.clawmesh.coordinator.messages;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.forwarding.ForwardingFixtures;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The message log and its table, run on every supported database by the subclasses. */
abstract class MessageLogTests {

    private TestDatabase database;

    private MessageLogRepository repository;

    /** A fresh, migrated database for one test; may abort the test when the database is not there. */
    protected abstract TestDatabase openDatabase();

    /** A fresh database migrated up to {@code target} only; may abort the test when the database is not there. */
    protected abstract TestDatabase openDatabase(String target);

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.repository = new MessageLogRepository(this.database.jdbcTemplate(), this.database.jdbcClient());
    }

    @AfterEach
    void tearDown() {
        // Null when the database was not there and the test was skipped.
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void insertAllWhenEveryColumnSetShouldReadBackEqualRecords() {
        MessageRecord routed = ForwardingFixtures.routed(1);
        MessageRecord noRoute = ForwardingFixtures.noRoute(2);

        this.repository.insertAll(List.of(routed, noRoute));

        assertThat(this.repository.findRecent(10)).containsExactly(noRoute, routed);
    }

    @ParameterizedTest
    @EnumSource(MessageRecord.Outcome.class)
    void insertAllShouldReadBackEveryOutcome(MessageRecord.Outcome outcome) {
        MessageRecord base = ForwardingFixtures.routed(1);
        MessageRecord record = new MessageRecord(
                base.messageId(),
                base.nodeId(),
                base.nodeName(),
                outcome,
                base.status(),
                base.latencyMs(),
                base.attempts(),
                base.ruleId(),
                base.source(),
                base.error(),
                base.createdAt());

        this.repository.insertAll(List.of(record));

        assertThat(this.repository.findRecent(1)).containsExactly(record);
    }

    @Test
    void insertAllWhenSourceAndErrorTooLongShouldTruncateThem() {
        MessageRecord base = ForwardingFixtures.noRoute(1);
        MessageRecord longText = new MessageRecord(
                base.messageId(),
                null,
                null,
                base.outcome(),
                502,
                5,
                3,
                null,
                "s".repeat(500),
                "e".repeat(5000),
                base.createdAt());

        this.repository.insertAll(List.of(longText));

        MessageRecord read = this.repository.findRecent(1).getFirst();
        assertThat(read.source()).isEqualTo("s".repeat(200));
        assertThat(read.error()).isEqualTo("e".repeat(1000));
    }

    @Test
    void findRecentShouldAnswerTheNewestFirstUpToTheLimit() {
        this.repository.insertAll(records(1, 20));

        assertThat(this.repository.findRecent(3))
                .extracting(MessageRecord::messageId)
                .containsExactly("msg-20", "msg-19", "msg-18");
        assertThat(this.repository.findRecent(0)).hasSize(1);
    }

    @Test
    void tableShouldHaveNoIndexButThePrimaryKeySoEachRowWritesOneIndex() throws Exception {
        List<String> indexed = new ArrayList<>();
        try (Connection connection = this.database.dataSource().getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            for (String table : List.of("message_log", "MESSAGE_LOG")) {
                // this test's schema only: a shared PostgreSQL holds other tests' schemas with their own tables
                try (ResultSet indexes =
                        metaData.getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false, false)) {
                    while (indexes.next()) {
                        indexed.add(indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }

        assertThat(indexed).containsExactly("seq");
    }

    @Test
    void pruneShouldKeepOnlyTheNewestRecords() {
        this.repository.insertAll(records(1, 50));

        int deleted = this.repository.prune(10);

        assertThat(deleted).isEqualTo(40);
        assertThat(this.repository.count()).isEqualTo(10);
        assertThat(this.repository.findRecent(100))
                .extracting(MessageRecord::messageId)
                .containsExactlyElementsOf(IntStream.rangeClosed(41, 50)
                        .map((i) -> 91 - i)
                        .mapToObj((i) -> "msg-" + i)
                        .toList());
    }

    @Test
    void pruneWhenFewerThanTheLimitShouldDeleteNothing() {
        this.repository.insertAll(records(1, 5));

        assertThat(this.repository.prune(10)).isZero();
        assertThat(this.repository.count()).isEqualTo(5);
    }

    @Test
    void pruneWhenEmptyShouldDeleteNothing() {
        assertThat(this.repository.prune(10)).isZero();
    }

    @Test
    void recordShouldBufferUntilAFlushWritesTheBatch() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.properties(10000));

        records(1, 25).forEach(log::record);

        assertThat(this.repository.count()).isZero();

        log.flush();

        assertThat(this.repository.count()).isEqualTo(25);
    }

    @Test
    void recentShouldIncludeRecordsNotYetWritten() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.properties(10000));
        records(1, 3).forEach(log::record);

        assertThat(log.recent(2)).extracting(MessageRecord::messageId).containsExactly("msg-3", "msg-2");
    }

    @Test
    void recordWhenBufferFullShouldWriteRatherThanDrop() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.properties(100000, 10));

        records(1, 1001).forEach(log::record);

        assertThat(this.repository.count()).isEqualTo(1000);
        log.flush();
        assertThat(this.repository.count()).isEqualTo(1001);
    }

    @Test
    void flushWhenEnoughWrittenShouldPruneToTheNewestMaxRows() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.properties(100));

        records(1, 1000).forEach(log::record);
        log.flush();

        assertThat(this.repository.count()).isEqualTo(100);
        assertThat(this.repository.findRecent(1).getFirst().messageId()).isEqualTo("msg-1000");
    }

    @Test
    void stopShouldFlushWhatIsLeft() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.properties(10000));
        log.start();
        records(1, 7).forEach(log::record);

        log.stop();

        assertThat(log.isRunning()).isFalse();
        assertThat(this.repository.count()).isEqualTo(7);
    }

    @Test
    void recordWhenDisabledShouldKeepNothing() {
        MessageLog log = new MessageLog(this.repository, ForwardingFixtures.disabled());

        records(1, 5).forEach(log::record);
        log.flush();

        assertThat(this.repository.count()).isZero();
    }

    @Test
    void createdAtShouldSurviveTheRoundTripToTheMillisecond() {
        Instant at = MutableClock.START.plusMillis(123);
        MessageRecord base = ForwardingFixtures.routed(1);
        MessageRecord record = new MessageRecord(
                base.messageId(),
                base.nodeId(),
                base.nodeName(),
                base.outcome(),
                base.status(),
                base.latencyMs(),
                base.attempts(),
                base.ruleId(),
                base.source(),
                base.error(),
                at);

        this.repository.insertAll(List.of(record));

        assertThat(this.repository.findRecent(1).getFirst().createdAt()).isEqualTo(at);
    }

    @Test
    void findRecentForNodeShouldListOnlyThatNodesMessagesNewestFirst() {
        MessageRecord first = ForwardingFixtures.routed(1);
        MessageRecord other = onNode(ForwardingFixtures.routed(2), "node-0000000000000002", 1, MutableClock.START);
        MessageRecord second = ForwardingFixtures.routed(3);
        this.repository.insertAll(List.of(first, other, second, ForwardingFixtures.noRoute(4)));

        assertThat(this.repository.findRecentForNode("node-0000000000000001", 10))
                .containsExactly(second, first);
        assertThat(this.repository.findRecentForNode("node-0000000000000001", 1))
                .containsExactly(second);
        assertThat(this.repository.findRecentForNode("node-ffffffffffffffff", 10))
                .isEmpty();
    }

    @Test
    void countSinceShouldCountMessagesAndFailoversInTheWindowOnly() {
        Instant start = MutableClock.START;
        this.repository.insertAll(List.of(
                onNode(ForwardingFixtures.routed(1), "node-0000000000000001", 2, start.minusSeconds(120)),
                onNode(ForwardingFixtures.routed(2), "node-0000000000000001", 1, start.minusSeconds(30)),
                onNode(ForwardingFixtures.routed(3), "node-0000000000000001", 3, start.minusSeconds(10)),
                onNode(ForwardingFixtures.noRoute(4), null, 0, start)));

        assertThat(this.repository.countSince(start.minusSeconds(60))).isEqualTo(new MessageCounts(3, 1));
        assertThat(this.repository.countSince(start.minusSeconds(600))).isEqualTo(new MessageCounts(4, 2));
        assertThat(this.repository.countSince(start.plusSeconds(1))).isEqualTo(new MessageCounts(0, 0));
    }

    @Test
    void insertAllShouldWriteOneRowPerThousandRecords() {
        this.repository.insertAll(records(1, 25));
        this.repository.insertAll(records(26, 1026));

        assertThat(rows()).isEqualTo(3);
        assertThat(this.repository.count()).isEqualTo(1026);
        assertThat(this.repository.findRecent(1002))
                .extracting(MessageRecord::messageId)
                .startsWith("msg-1026", "msg-1025")
                .endsWith("msg-26", "msg-25");
    }

    @Test
    void findRecentShouldReadAcrossRowsNewestFirst() {
        this.repository.insertAll(records(1, 3));
        this.repository.insertAll(records(4, 5));
        this.repository.insertAll(records(6, 6));

        assertThat(this.repository.findRecent(5))
                .extracting(MessageRecord::messageId)
                .containsExactly("msg-6", "msg-5", "msg-4", "msg-3", "msg-2");
    }

    @Test
    void findRecentForNodeShouldReachIntoOlderRows() {
        MessageRecord early = onNode(ForwardingFixtures.routed(1), "node-0000000000000002", 1, MutableClock.START);
        this.repository.insertAll(List.of(early, ForwardingFixtures.routed(2)));
        this.repository.insertAll(records(3, 40));

        assertThat(this.repository.findRecentForNode("node-0000000000000002", 10))
                .containsExactly(early);
    }

    @Test
    void pruneShouldDeleteOlderRowsAndTrimTheRowWhereTheKeptCountEnds() {
        this.repository.insertAll(records(1, 10));
        this.repository.insertAll(records(11, 20));
        this.repository.insertAll(records(21, 30));

        int removed = this.repository.prune(15);

        assertThat(removed).isEqualTo(15);
        assertThat(rows()).isEqualTo(2);
        assertThat(this.repository.count()).isEqualTo(15);
        assertThat(this.repository.findRecent(100))
                .extracting(MessageRecord::messageId)
                .containsExactlyElementsOf(IntStream.iterate(30, (i) -> i > 15, (i) -> i - 1)
                        .mapToObj((i) -> "msg-" + i)
                        .toList());
    }

    @Test
    void pruneWhenTheKeptCountEndsAtARowBoundaryShouldDeleteWholeRowsOnly() {
        this.repository.insertAll(records(1, 10));
        this.repository.insertAll(records(11, 20));

        assertThat(this.repository.prune(10)).isEqualTo(10);
        assertThat(rows()).isEqualTo(1);
        assertThat(this.repository.findRecent(100)).hasSize(10);
    }

    @Test
    void countSinceShouldAddWholeRowsAndTheInWindowRecordsOfRowsThatStraddleIt() {
        Instant start = MutableClock.START;
        this.repository.insertAll(
                List.of(onNode(ForwardingFixtures.routed(1), "node-0000000000000001", 2, start.minusSeconds(300))));
        this.repository.insertAll(List.of(
                onNode(ForwardingFixtures.routed(2), "node-0000000000000001", 3, start.minusSeconds(90)),
                onNode(ForwardingFixtures.routed(3), "node-0000000000000001", 2, start.minusSeconds(30))));
        this.repository.insertAll(List.of(
                onNode(ForwardingFixtures.routed(4), "node-0000000000000001", 2, start.minusSeconds(10)),
                onNode(ForwardingFixtures.routed(5), "node-0000000000000001", 1, start)));

        assertThat(this.repository.countSince(start.minusSeconds(60))).isEqualTo(new MessageCounts(3, 2));
        assertThat(this.repository.countSince(start.minusSeconds(30))).isEqualTo(new MessageCounts(3, 2));
        assertThat(this.repository.countSince(start.minusSeconds(30).plusNanos(1000)))
                .isEqualTo(new MessageCounts(2, 1));
        assertThat(this.repository.countSince(start.minusSeconds(3600))).isEqualTo(new MessageCounts(5, 4));
    }

    @Test
    void twoLogsOnOneTableShouldEachWriteTheirOwnRowsAndReadBoth() {
        MessageLog one = new MessageLog(this.repository, ForwardingFixtures.properties(10000));
        MessageLog two = new MessageLog(this.repository, ForwardingFixtures.properties(10000));
        records(1, 3).forEach(one::record);
        one.flush();
        records(4, 5).forEach(two::record);

        assertThat(one.recent(10)).extracting(MessageRecord::messageId).containsExactly("msg-3", "msg-2", "msg-1");
        assertThat(two.recent(10))
                .extracting(MessageRecord::messageId)
                .containsExactly("msg-5", "msg-4", "msg-3", "msg-2", "msg-1");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void upgradeFromOneRowPerMessageShouldCarryTheHistoryOverInOrder() {
        // a coordinator of the tenth session wrote one row per message (V12); the next start migrates to V13.1
        List<MessageRecord> written = new ArrayList<>();
        for (int n = 1; n <= 2503; n++) {
            MessageRecord base = (n % 7 == 0) ? ForwardingFixtures.noRoute(n) : ForwardingFixtures.routed(n);
            // microseconds: what the per-message column kept
            written.add(onNode(
                    base,
                    base.nodeId(),
                    (n % 5 == 0) ? 2 : base.attempts(),
                    base.createdAt().plusNanos(n * 1000L)));
        }
        try (TestDatabase old = openDatabase("12")) {
            JdbcTemplate jdbc = old.jdbcTemplate();
            jdbc.batchUpdate(
                    "INSERT INTO message_log (message_id, node_id, node_name, outcome, status, latency_ms, attempts,"
                            + " rule_id, source, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    written,
                    500,
                    (ps, record) -> {
                        ps.setString(1, record.messageId());
                        ps.setString(2, record.nodeId());
                        ps.setString(3, record.nodeName());
                        ps.setString(4, record.outcome().wireName());
                        ps.setInt(5, record.status());
                        ps.setLong(6, record.latencyMs());
                        ps.setInt(7, record.attempts());
                        ps.setString(8, record.ruleId());
                        ps.setString(9, record.source());
                        ps.setString(10, record.error());
                        ps.setObject(11, record.createdAt().atOffset(ZoneOffset.UTC));
                    });
            // an outcome no version wrote: left out, not a failed upgrade
            jdbc.update("INSERT INTO message_log (message_id, outcome, status, latency_ms, attempts, created_at)"
                    + " VALUES ('msg-odd', 'bounced', 500, 1, 1, CURRENT_TIMESTAMP)");

            old.migrateToLatest();

            MessageLogRepository upgraded = new MessageLogRepository(old.jdbcTemplate(), old.jdbcClient());
            List<MessageRecord> newestFirst = new ArrayList<>(written);
            java.util.Collections.reverse(newestFirst);
            assertThat(upgraded.findRecent(5000)).containsExactlyElementsOf(newestFirst);
            assertThat(upgraded.countSince(Instant.EPOCH))
                    .isEqualTo(new MessageCounts(
                            2503,
                            written.stream()
                                    .filter((record) -> record.attempts() > 1)
                                    .count()));
            assertThat(old.jdbcClient()
                            .sql("SELECT record_count FROM message_log ORDER BY seq")
                            .query(Integer.class)
                            .list())
                    .containsExactly(1000, 1000, 503);
            assertThat(tables(old)).contains("message_log").doesNotContain("message_log_v12");
            // and the log goes on in the same table
            upgraded.insertAll(List.of(ForwardingFixtures.routed(9999)));
            assertThat(upgraded.findRecent(1))
                    .extracting(MessageRecord::messageId)
                    .containsExactly("msg-9999");
        }
    }

    private static List<String> tables(TestDatabase database) {
        List<String> tables = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                ResultSet found = connection
                        .getMetaData()
                        .getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (found.next()) {
                tables.add(found.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
        return tables;
    }

    private long rows() {
        return this.database
                .jdbcClient()
                .sql("SELECT COUNT(*) FROM message_log")
                .query(Long.class)
                .single();
    }

    private static MessageRecord onNode(MessageRecord base, @Nullable String nodeId, int attempts, Instant at) {
        return new MessageRecord(
                base.messageId(),
                nodeId,
                base.nodeName(),
                base.outcome(),
                base.status(),
                base.latencyMs(),
                attempts,
                base.ruleId(),
                base.source(),
                base.error(),
                at);
    }

    private static List<MessageRecord> records(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(ForwardingFixtures::routed)
                .toList();
    }
}
