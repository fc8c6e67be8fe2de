package io.clawmesh.coordinator.tasks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the task table's writes (issue 13): the writes that arrive while one commit is under way are run
 * together in one transaction by one writer thread, and each caller returns when that transaction has committed, with
 * its own statement's result, as if it had written alone. On H2 with {@code WRITE_DELAY=0} every commit stores the
 * changed pages of the file (a third of the coordinator's CPU per task in the seventh session's profile); a group of
 * writes stores them once. A write that is alone runs as before, in its own auto-committed statement.
 *
 * <p>Nothing is acknowledged before its commit, so a {@code kill -9} loses only writes whose callers were still
 * waiting, as before. When a statement of a group fails, the group is rolled back and each of its writes runs again
 * alone, so one write's failure (a taken idempotency key, a lock timeout) is only its own. When no connection can be
 * had for a group, each of its callers gets the failure a lone write gets ({@link CannotGetJdbcConnectionException}).
 */
@Component
public class TaskWriteBatcher implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(TaskWriteBatcher.class);

    /** The most writes one transaction takes; the rest wait for the next one. */
    static final int MAX_GROUP = 128;

    private final @Nullable TransactionTemplate transaction;

    private final BlockingQueue<Write<?>> pending = new LinkedBlockingQueue<>();

    private final @Nullable Thread writer;

    private volatile boolean stopped;

    /** Groups writes as {@code mesh.tasks.group-commit} says for the database {@code spring.datasource.url} names. */
    @Autowired
    public TaskWriteBatcher(
            PlatformTransactionManager transactions,
            TaskProperties properties,
            @Value("${spring.datasource.url:}") String databaseUrl) {
        this(grouped(properties.groupCommit(), databaseUrl) ? transactions : null);
    }

    /**
     * @param transactions the task table's transaction manager; {@code null} writes every statement alone (no group
     *     commit)
     */
    TaskWriteBatcher(@Nullable PlatformTransactionManager transactions) {
        if (transactions == null) {
            this.transaction = null;
            this.writer = null;
            return;
        }
        this.transaction = new TransactionTemplate(transactions);
        this.writer = Thread.ofPlatform().daemon().name("task-writes").start(this::loop);
    }

    static boolean grouped(TaskProperties.GroupCommit setting, String databaseUrl) {
        return switch (setting) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> databaseUrl.startsWith("jdbc:h2:");
        };
    }

    /** How many writes wait for the writer; for tests. */
    int queued() {
        return this.pending.size();
    }

    /**
     * Runs {@code work} (one statement on the task table through the shared {@code JdbcClient}), grouped with other
     * writes, and answers its result once it has committed.
     */
    <T> T write(Supplier<T> work) {
        if (this.writer == null || this.stopped || Thread.currentThread() == this.writer) {
            return work.get();
        }
        Write<T> write = new Write<>(work);
        this.pending.add(write);
        if (this.stopped && this.pending.remove(write)) {
            // stopped meanwhile, and the writer may have left before it saw this write
            return work.get();
        }
        return write.await();
    }

    private void loop() {
        List<Write<?>> group = new ArrayList<>(MAX_GROUP);
        while (true) {
            Write<?> first;
            try {
                first = this.pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                first = null;
            }
            if (first == null) {
                if (this.stopped && this.pending.isEmpty()) {
                    return;
                }
                continue;
            }
            group.add(first);
            this.pending.drainTo(group, MAX_GROUP - 1);
            try {
                commit(group);
            } catch (RuntimeException | Error ex) {
                // never leave a caller waiting
                for (Write<?> write : group) {
                    write.fail(ex);
                }
            }
            group.clear();
        }
    }

    private void commit(List<Write<?>> group) {
        if (group.size() == 1) {
            group.get(0).runAlone();
            return;
        }
        TransactionTemplate transaction = Objects.requireNonNull(this.transaction);
        boolean[] began = {false};
        try {
            transaction.executeWithoutResult((status) -> {
                began[0] = true;
                for (Write<?> write : group) {
                    write.runInGroup();
                }
            });
        } catch (StatementFailedException ex) {
            logger.debug("A grouped task write failed ({}); writing each of the group alone", ex.getMessage());
            for (Write<?> write : group) {
                write.runAlone();
            }
            return;
        } catch (CannotCreateTransactionException ex) {
            RuntimeException failure = began[0] ? ex : noConnection(ex);
            for (Write<?> write : group) {
                write.fail(failure);
            }
            return;
        }
        for (Write<?> write : group) {
            write.release();
        }
    }

    /** What a lone write gets when the pool has no connection for it, so that callers' retries see the same. */
    private static RuntimeException noConnection(CannotCreateTransactionException ex) {
        return (ex.getCause() instanceof SQLException sql)
                ? new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", sql)
                : new DataAccessResourceFailureException("Failed to obtain JDBC Connection", ex);
    }

    /** Stops grouping: later writes run alone; the writes already waiting are written first. */
    @Override
    public void destroy() throws InterruptedException {
        this.stopped = true;
        if (this.writer != null) {
            this.writer.join(10_000);
        }
    }

    /** One caller's write and, once committed, its outcome. */
    private static final class Write<T> {

        private final Supplier<T> work;

        private final CountDownLatch done = new CountDownLatch(1);

        private @Nullable T result;

        private @Nullable Throwable failure;

        Write(Supplier<T> work) {
            this.work = work;
        }

        /** Runs inside the group's transaction; the caller learns the result only after the commit. */
        void runInGroup() {
            try {
                this.result = this.work.get();
            } catch (RuntimeException ex) {
                throw new StatementFailedException(ex);
            }
        }

        void runAlone() {
            try {
                this.result = this.work.get();
            } catch (RuntimeException | Error ex) {
                this.failure = ex;
            }
            this.done.countDown();
        }

        void release() {
            this.done.countDown();
        }

        void fail(Throwable ex) {
            if (this.done.getCount() > 0) {
                this.result = null;
                this.failure = ex;
                this.done.countDown();
            }
        }

        /** Waits for the outcome, through interrupts: a write that may have committed is never reported as failed. */
        @SuppressWarnings("NullAway")
        T await() {
            boolean interrupted = false;
            while (true) {
                try {
                    this.done.await();
                    break;
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable ex = this.failure;
            if (ex instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (ex instanceof Error error) {
                throw error;
            }
            return this.result;
        }
    }

    /** A statement of a group failed: the group rolls back and its writes run alone. */
    private static final class StatementFailedException extends RuntimeException {

        StatementFailedException(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
