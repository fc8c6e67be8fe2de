package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.TestDatabase;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;

/**
 * Group commit of the task table's writes: shared commits, each caller's own outcome, nothing told before commit; on
 * whichever database a subclass opens.
 */
abstract class TaskWriteBatcherTests {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private TestDatabase database;

    private CountingTransactions transactions;

    private TaskWriteBatcher batcher;

    private TaskRepository repository;

    /** A plain repository on the same database, for setting up and reading rows. */
    private TaskRepository direct;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.transactions = new CountingTransactions(new JdbcTransactionManager(this.database.dataSource()));
        this.batcher = new TaskWriteBatcher(this.transactions);
        this.repository = new TaskRepository(this.database.jdbcClient(), "replica-a", this.batcher);
        this.direct = new TaskRepository(this.database.jdbcClient(), "replica-a");
    }

    @AfterEach
    void close() throws InterruptedException {
        if (this.batcher != null) {
            this.batcher.destroy();
            this.database.close();
        }
    }

    @Test
    void groupedFromOnlyH2WhenAuto() {
        assertThat(TaskWriteBatcher.grouped(TaskProperties.GroupCommit.AUTO, "jdbc:h2:file:/x/coordinator"))
                .isTrue();
        assertThat(TaskWriteBatcher.grouped(TaskProperties.GroupCommit.AUTO, "jdbc:postgresql://db/mesh"))
                .isFalse();
        assertThat(TaskWriteBatcher.grouped(TaskProperties.GroupCommit.ON, "jdbc:postgresql://db/mesh"))
                .isTrue();
        assertThat(TaskWriteBatcher.grouped(TaskProperties.GroupCommit.OFF, "jdbc:h2:mem:x"))
                .isFalse();
    }

    @Test
    void writesThatArriveTogetherShouldShareOneCommitAndEachGetItsOwnResult() throws Exception {
        for (int i = 1; i <= 8; i++) {
            this.direct.insert(TaskFixtures.task(TaskFixtures.id(i), null, NOW));
        }
        // task 8 is assigned elsewhere first: its assignment in the group must lose, the others win
        this.direct.assign(TaskFixtures.id(8), "node-x", "x");

        List<Future<Boolean>> results =
                whileTheWriterIsBusy(8, (i) -> () -> this.repository.assign(TaskFixtures.id(i + 1), "node-1", "one"));

        for (int i = 0; i < 7; i++) {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(this.direct
                            .findById(TaskFixtures.id(i + 1))
                            .orElseThrow()
                            .status())
                    .isEqualTo(TaskStatus.ASSIGNED);
        }
        assertThat(results.get(7).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(this.direct.findById(TaskFixtures.id(8)).orElseThrow().nodeId())
                .isEqualTo("node-x");
        assertThat(this.transactions.commits.get()).isEqualTo(1);
    }

    @Test
    void aStatementThatFailsInAGroupShouldFailOnlyItsOwnWrite() throws Exception {
        this.direct.insert(TaskFixtures.task(TaskFixtures.id(100), "taken", NOW));

        List<Future<Task>> results = whileTheWriterIsBusy(
                3,
                (i) -> () -> this.repository.insert(
                        TaskFixtures.task(TaskFixtures.id(i + 1), (i == 1) ? "taken" : null, NOW)));

        assertThat(results.get(0).get(5, TimeUnit.SECONDS).id()).isEqualTo(TaskFixtures.id(1));
        assertThat(results.get(2).get(5, TimeUnit.SECONDS).id()).isEqualTo(TaskFixtures.id(3));
        assertThat(failureOf(results.get(1))).isInstanceOf(DuplicateKeyException.class);
        assertThat(this.direct.findById(TaskFixtures.id(1))).isPresent();
        assertThat(this.direct.findById(TaskFixtures.id(2))).isEmpty();
        assertThat(this.direct.findById(TaskFixtures.id(3))).isPresent();
        assertThat(this.transactions.rollbacks.get()).isEqualTo(1);
    }

    @Test
    void aGroupWhoseCommitFailsShouldTellEveryCallerAndLeaveNoRowChanged() throws Exception {
        for (int i = 1; i <= 3; i++) {
            this.direct.insert(TaskFixtures.task(TaskFixtures.id(i), null, NOW));
        }
        this.transactions.failCommit = true;

        List<Future<Boolean>> results =
                whileTheWriterIsBusy(3, (i) -> () -> this.repository.assign(TaskFixtures.id(i + 1), "node-1", "one"));

        for (int i = 0; i < 3; i++) {
            assertThat(failureOf(results.get(i))).isInstanceOf(TransactionSystemException.class);
            // as after a kill -9 before the commit: the row is where it was, and no caller went on
            assertThat(this.direct
                            .findById(TaskFixtures.id(i + 1))
                            .orElseThrow()
                            .status())
                    .isEqualTo(TaskStatus.QUEUED);
        }
    }

    @Test
    void aGroupThatGetsNoConnectionShouldFailEachWriteAsALoneWriteFails() throws Exception {
        for (int i = 1; i <= 2; i++) {
            this.direct.insert(TaskFixtures.task(TaskFixtures.id(i), null, NOW));
        }
        this.transactions.noConnection = true;

        List<Future<Boolean>> results =
                whileTheWriterIsBusy(2, (i) -> () -> this.repository.assign(TaskFixtures.id(i + 1), "node-1", "one"));

        for (Future<Boolean> result : results) {
            // what DatabaseRetry repeats
            assertThat(failureOf(result)).isInstanceOf(CannotGetJdbcConnectionException.class);
        }
    }

    @Test
    void aLoneWriteShouldCommitOnItsOwnWithoutATransactionOfTheBatcher() {
        this.repository.insert(TaskFixtures.task(TaskFixtures.id(1), null, NOW));

        assertThat(this.repository.assign(TaskFixtures.id(1), "node-1", "one")).isTrue();
        assertThat(this.direct.findById(TaskFixtures.id(1)).orElseThrow().status())
                .isEqualTo(TaskStatus.ASSIGNED);
        assertThat(this.transactions.begun.get()).isZero();
    }

    @Test
    void writesAfterTheBatcherStoppedShouldRunAloneAndNotWait() throws Exception {
        this.repository.insert(TaskFixtures.task(TaskFixtures.id(1), null, NOW));
        this.batcher.destroy();

        assertThat(this.repository.assign(TaskFixtures.id(1), "node-1", "one")).isTrue();
        assertThat(this.direct.findById(TaskFixtures.id(1)).orElseThrow().status())
                .isEqualTo(TaskStatus.ASSIGNED);
    }

    /**
     * Holds the writer thread in a write of its own while {@code count} callers queue theirs, then lets it go: the
     * queued writes form one group.
     */
    private <T> List<Future<T>> whileTheWriterIsBusy(int count, Function<Integer, Supplier<T>> writes)
            throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread.ofVirtual()
                .start(() -> this.batcher.write(() -> {
                    busy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return 0;
                }));
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<T>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Supplier<T> write = writes.apply(i);
            CompletableFuture<T> result = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(write.get());
                } catch (RuntimeException ex) {
                    result.completeExceptionally(ex);
                }
            });
            results.add(result);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (this.batcherQueued() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(this.batcherQueued()).isEqualTo(count);
        release.countDown();
        return results;
    }

    private int batcherQueued() {
        return this.batcher.queued();
    }

    private static @Nullable Throwable failureOf(Future<?> result) throws InterruptedException {
        try {
            result.get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException ex) {
            return ex.getCause();
        } catch (TimeoutException ex) {
            throw new AssertionError("no outcome in time", ex);
        }
    }

    /** Counts transactions and can fail their start or their commit. */
    private static final class CountingTransactions implements PlatformTransactionManager {

        private final PlatformTransactionManager delegate;

        private final AtomicInteger begun = new AtomicInteger();

        private final AtomicInteger commits = new AtomicInteger();

        private final AtomicInteger rollbacks = new AtomicInteger();

        private volatile boolean failCommit;

        private volatile boolean noConnection;

        CountingTransactions(PlatformTransactionManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public TransactionStatus getTransaction(@Nullable TransactionDefinition definition) {
            if (this.noConnection) {
                throw new CannotCreateTransactionException(
                        "Could not open JDBC Connection for transaction",
                        new SQLTransientConnectionException("pool exhausted"));
            }
            this.begun.incrementAndGet();
            return this.delegate.getTransaction(definition);
        }

        @Override
        public void commit(TransactionStatus status) {
            if (this.failCommit) {
                this.delegate.rollback(status);
                throw new TransactionSystemException("commit failed");
            }
            this.commits.incrementAndGet();
            this.delegate.commit(status);
        }

        @Override
        public void rollback(TransactionStatus status) {
            this.rollbacks.incrementAndGet();
            this.delegate.rollback(status);
        }
    }
}
