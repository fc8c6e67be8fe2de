package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/** The task table's writes and reads, on whichever database a subclass opens. */
abstract class TaskRepositoryTests {

    private TestDatabase database;

    private TaskRepository repository;

    private final MutableClock clock = new MutableClock();

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.repository = new TaskRepository(this.database.jdbcClient(), "replica-a");
    }

    @AfterEach
    void close() {
        this.database.close();
    }

    private Task insert(String id, @Nullable String key) {
        return this.repository.insert(TaskFixtures.task(id, key, this.clock.instant()));
    }

    @Test
    void insertShouldKeepEveryFieldAndNumberRowsInArrivalOrder() {
        Task first = insert(TaskFixtures.id(1), "key-1");
        Task second = insert(TaskFixtures.id(2), null);

        Task read = this.repository.findById(first.id()).orElseThrow();

        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(read.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(read.content()).isEqualTo("do it");
        assertThat(read.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(read.createdAt()).isEqualTo(MutableClock.START);
        assertThat(read.idempotencyKey()).isEqualTo("key-1");
        assertThat(this.repository.findByIdempotencyKey("key-1")).map(Task::id).hasValue(first.id());
        assertThat(this.repository.findContent(second.id())).hasValue("do it");
    }

    @Test
    void taskTableShouldKeepOnlyTheIndexesAQueryUses() throws SQLException {
        Set<String> indexes = new TreeSet<>();
        try (Connection connection = this.database.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? "TASKS" : "tasks";
            try (ResultSet rows =
                    meta.getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false, false)) {
                while (rows.next()) {
                    String name = rows.getString("INDEX_NAME");
                    if (name != null) {
                        indexes.add(name.toLowerCase(Locale.ROOT));
                    }
                }
            }
        }

        // V12: the replica's queries go by tasks_status, the node filter by the primary key
        assertThat(indexes)
                .contains("tasks_status", "tasks_finished_at", "tasks_owner")
                .doesNotContain("tasks_replica", "tasks_node");
    }

    @Test
    void insertWithATakenIdempotencyKeyShouldFail() {
        insert(TaskFixtures.id(1), "key-1");

        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> insert(TaskFixtures.id(2), "key-1"));
    }

    @Test
    void everyTransitionShouldHaveExactlyOneWinner() {
        String id = insert(TaskFixtures.id(1), null).id();

        assertThat(this.repository.start(id, this.clock.instant()))
                .as("not assigned yet")
                .isFalse();
        assertThat(this.repository.assign(id, "node-1", "alpha")).isTrue();
        assertThat(this.repository.assign(id, "node-2", "beta"))
                .as("second dispatcher")
                .isFalse();
        assertThat(this.repository.start(id, this.clock.instant())).isTrue();
        Instant end = this.clock.advance(Duration.ofSeconds(3));
        assertThat(this.repository.finish(id, TaskStatus.RUNNING, TaskStatus.SUCCEEDED, "done", null, end))
                .isTrue();
        assertThat(this.repository.finish(id, TaskStatus.RUNNING, TaskStatus.CANCELED, null, "late cancel", end))
                .as("a cancel after the end loses")
                .isFalse();

        Task task = this.repository.findById(id).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(task.response()).isEqualTo("done");
        assertThat(task.nodeName()).isEqualTo("alpha");
        assertThat(task.attempts()).isOne();
        assertThat(task.finishedAt()).isEqualTo(end);
    }

    @Test
    void requeueShouldForgetTheNodeAndKeepTheAttempt() {
        String id = insert(TaskFixtures.id(1), null).id();
        this.repository.assign(id, "node-1", "alpha");

        assertThat(this.repository.requeue(id, "alpha answered 503")).isTrue();
        assertThat(this.repository.assign(id, "node-2", "beta")).isTrue();

        Task task = this.repository.findById(id).orElseThrow();
        assertThat(task.attempts()).isEqualTo(2);
        assertThat(task.nodeName()).isEqualTo("beta");
        assertThat(task.error()).isEqualTo("alpha answered 503");
    }

    @Test
    void pageShouldListNewestFirstAndFilterByStatusAndNode() {
        for (int i = 1; i <= 5; i++) {
            insert(TaskFixtures.id(i), null);
        }
        this.repository.assign(TaskFixtures.id(2), "node-1", "alpha");

        List<Task> newest = this.repository.page(null, null, null, 2);
        List<Task> older = this.repository.page(null, null, newest.getLast().seq(), 10);

        assertThat(newest).extracting(Task::id).containsExactly(TaskFixtures.id(5), TaskFixtures.id(4));
        assertThat(older)
                .extracting(Task::id)
                .containsExactly(TaskFixtures.id(3), TaskFixtures.id(2), TaskFixtures.id(1));
        assertThat(this.repository.page(TaskStatus.ASSIGNED, null, null, 10))
                .extracting(Task::id)
                .containsExactly(TaskFixtures.id(2));
        assertThat(this.repository.page(null, "alpha", null, 10)).hasSize(1);
        assertThat(this.repository.page(null, "node-1", null, 10)).hasSize(1);
        assertThat(this.repository.findByStatus(EnumSet.of(TaskStatus.QUEUED))).hasSize(4);
        assertThat(this.repository.countByStatus())
                .containsEntry(TaskStatus.QUEUED, 4L)
                .containsEntry(TaskStatus.ASSIGNED, 1L);
    }

    @Test
    void retentionShouldDeleteOnlyTasksThatFinishedBeforeTheCutoffInBatches() {
        for (int i = 1; i <= 5; i++) {
            String id = insert(TaskFixtures.id(i), null).id();
            if (i <= 4) {
                this.repository.finish(
                        id, TaskStatus.QUEUED, TaskStatus.CANCELED, null, "canceled", this.clock.instant());
            }
        }
        this.clock.advance(Duration.ofDays(8));
        TaskProperties properties = TaskFixtures.properties(2);

        int deleted = new TaskRetentionTask(this.repository, properties, this.clock).sweep();

        assertThat(deleted).isEqualTo(4);
        assertThat(this.repository.findById(TaskFixtures.id(5)))
                .as("unfinished tasks stay")
                .isPresent();
    }

    @Test
    void adoptWhenItsReplicaIsAliveShouldLeaveTheTaskAndWhenDeadShouldGiveItToExactlyOneReplica() {
        String id = insert(TaskFixtures.id(1), null).id();
        TaskRepository b = new TaskRepository(this.database.jdbcClient(), "replica-b");
        TaskRepository c = new TaskRepository(this.database.jdbcClient(), "replica-c");
        Instant now = MutableClock.START;
        seen("replica-a", now);
        Instant aliveSince = now.minusSeconds(10);

        assertThat(b.findOrphaned(aliveSince, 10)).isEmpty();
        assertThat(b.adopt(id, aliveSince)).as("replica-a is alive").isFalse();

        Instant later = now.plusSeconds(30);
        seen("replica-b", later);
        seen("replica-c", later);
        Instant laterAliveSince = later.minusSeconds(10);
        assertThat(b.findOrphaned(laterAliveSince, 10)).extracting(Task::id).containsExactly(id);
        assertThat(c.findOrphaned(laterAliveSince, 10)).extracting(Task::id).containsExactly(id);
        assertThat(b.adopt(id, laterAliveSince)).isTrue();
        assertThat(c.adopt(id, laterAliveSince))
                .as("replica-b, alive, has it now")
                .isFalse();
        assertThat(b.findUnfinishedHeldHere()).extracting(Task::id).containsExactly(id);
        assertThat(this.repository.findUnfinishedHeldHere()).isEmpty();
        assertThat(c.findOrphaned(laterAliveSince, 10)).isEmpty();
    }

    @Test
    void findOrphanedShouldTakeTasksWrittenBeforeReplicasAndSkipFinishedOnes() {
        String old = insert(TaskFixtures.id(1), null).id();
        String done = insert(TaskFixtures.id(2), null).id();
        this.database.jdbcClient().sql("UPDATE tasks SET replica = NULL").update();
        this.repository.finish(done, TaskStatus.QUEUED, TaskStatus.CANCELED, null, "no", this.clock.instant());
        TaskRepository b = new TaskRepository(this.database.jdbcClient(), "replica-b");

        assertThat(b.findOrphaned(MutableClock.START, 10)).extracting(Task::id).containsExactly(old);
        assertThat(b.adopt(done, MutableClock.START)).isFalse();
        assertThat(b.adopt(old, MutableClock.START)).isTrue();
    }

    private void seen(String replica, Instant lastSeen) {
        this.database
                .jdbcClient()
                .sql("DELETE FROM coordinator_replicas WHERE id = ?")
                .param(replica)
                .update();
        this.database
                .jdbcClient()
                .sql("INSERT INTO coordinator_replicas (id, address, started_at, last_seen) VALUES (?, 'test', ?, ?)")
                .params(replica, lastSeen.atOffset(ZoneOffset.UTC), lastSeen.atOffset(ZoneOffset.UTC))
                .update();
    }
}
