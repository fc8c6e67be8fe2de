package io.clawmesh.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.common.audit.AuditPage;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit trail on every supported database (the subclasses): entries, filters, pages, retention. */
abstract class AuditTrailTests {

    private TestDatabase database;

    private AuditRepository repository;

    private AuditTrail trail;

    /** A fresh, migrated database for one test; may abort the test when the database is not there. */
    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.repository = new AuditRepository(this.database.jdbcClient());
        this.trail = new AuditTrail(this.repository);
    }

    @AfterEach
    void tearDown() {
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void recordShouldKeepEveryFieldAndTheDatabaseTime() {
        Instant before = Instant.now().minusSeconds(5);
        this.trail.record(
                Actor.dashboard("alice", "203.0.113.7"), AuditAction.NODE_REMOVE, "mac-mini", "offline", "success");

        AuditEntry entry = this.trail.list(AuditQuery.ALL, null, 10).entries().getFirst();
        assertThat(entry.actor()).isEqualTo("dashboard:alice");
        assertThat(entry.address()).isEqualTo("203.0.113.7");
        assertThat(entry.action()).isEqualTo("node.remove");
        assertThat(entry.target()).isEqualTo("mac-mini");
        assertThat(entry.detail()).isEqualTo("offline");
        assertThat(entry.outcome()).isEqualTo("success");
        assertThat(entry.time()).isBetween(before, Instant.now().plusSeconds(5));
    }

    @Test
    void recordWithoutAnAuthenticatedCallerShouldNameTheSystem() {
        this.trail.record(AuditAction.RULE_CREATE, "rule-1", null);

        assertThat(this.trail.list(AuditQuery.ALL, null, 10).entries())
                .extracting(AuditEntry::actor)
                .containsExactly("system");
    }

    @Test
    void recordShouldReplaceControlCharactersAndCutLongText() {
        this.trail.record(
                Actor.dashboard("eve\nFAKE LINE", null),
                AuditAction.DASHBOARD_LOGIN_FAILED,
                "x".repeat(1000),
                "d".repeat(5000),
                "failure");

        AuditEntry entry = this.trail.list(AuditQuery.ALL, null, 10).entries().getFirst();
        assertThat(entry.actor()).isEqualTo("dashboard:eve?FAKE LINE");
        assertThat(entry.target()).hasSize(200);
        assertThat(entry.detail()).hasSize(500);
    }

    @Test
    void recordWhenTheDatabaseIsGoneShouldNotThrow() {
        this.database.close();
        AuditTrail broken = this.trail;
        this.database = null;

        broken.record(AuditAction.TOKEN_ROTATE, "abcd1234", "the database is gone");
    }

    @Test
    void pagesShouldWalkEveryEntryNewestFirstOnce() {
        for (int i = 0; i < 7; i++) {
            this.trail.record(Actor.operator("abcd1234"), AuditAction.RULE_CREATE, "rule-" + i, null, "success");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            AuditPage page = this.trail.list(AuditQuery.ALL, cursor, 3);
            page.entries().forEach((entry) -> seen.add(entry.target()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("rule-6", "rule-5", "rule-4", "rule-3", "rule-2", "rule-1", "rule-0");
    }

    @Test
    void filtersShouldCombine() {
        this.trail.record(Actor.operator("abcd1234"), AuditAction.RULE_CREATE, "rule-1", null, "success");
        this.trail.record(Actor.operator("ffff0000"), AuditAction.RULE_DELETE, "rule-1", null, "success");
        this.trail.record(Actor.dashboard("alice", null), AuditAction.RULE_DELETE, "rule-2", null, "success");

        assertThat(targets(AuditQuery.parse("rule.delete", null, null))).containsExactly("rule-2", "rule-1");
        assertThat(targets(AuditQuery.parse("rule.delete", "operator", null))).containsExactly("rule-1");
        assertThat(targets(AuditQuery.parse(null, "operator:abcd1234", null))).containsExactly("rule-1");
        assertThat(targets(AuditQuery.parse(null, "dashboard:alice", " 2000-01-01T00:00:00Z ")))
                .containsExactly("rule-2");
        assertThat(targets(AuditQuery.parse(null, null, "2999-01-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void badCursorsAndLimitsShouldBeRefused() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.trail.list(AuditQuery.ALL, "not-a-cursor!", 10));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.trail.list(AuditQuery.ALL, AuditTrail.encodeCursor(-4), 10));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.trail.list(AuditQuery.ALL, null, 0));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> this.trail.list(AuditQuery.ALL, null, AuditTrail.MAX_LIMIT + 1));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> AuditQuery.parse("rule.zap", null, null));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> AuditQuery.parse(null, null, "1h"));
    }

    @Test
    void retentionShouldDeleteOnlyEntriesPastItInBatches() {
        for (int i = 0; i < 5; i++) {
            this.trail.record(Actor.operator("abcd1234"), AuditAction.TASK_CANCEL, "task-" + i, null, "success");
        }
        MutableClock clock = new MutableClock(Instant.now());
        AuditRetentionTask retention = new AuditRetentionTask(
                this.repository, new AuditProperties(Duration.ofDays(90), 2, Duration.ofHours(1)), clock);

        assertThat(retention.sweep()).isZero();
        clock.advance(Duration.ofDays(89));
        assertThat(retention.sweep()).isZero();
        clock.advance(Duration.ofDays(2));
        assertThat(retention.sweep()).isEqualTo(5);
        assertThat(this.trail.list(AuditQuery.ALL, null, 10).entries()).isEmpty();
    }

    private List<String> targets(AuditQuery query) {
        return this.trail.list(query, null, 50).entries().stream()
                .map(AuditEntry::target)
                .toList();
    }
}
