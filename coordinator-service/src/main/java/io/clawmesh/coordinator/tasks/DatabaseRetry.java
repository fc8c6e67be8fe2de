package io.clawmesh.coordinator.tasks;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Repeats a task run's database work while the database is busy or briefly away (no pooled connection within the
 * pool's timeout, a dropped connection, a lock timeout), so that a burst of runs never leaves a task {@code assigned}
 * or {@code running} with nobody following it. It pauses between attempts, doubling from 50 ms to 2 s, and gives up
 * after its window: then the failure goes to the caller as before. Only a task's own run thread uses it; requests
 * (cancel, submit) fail fast with 503 instead.
 */
final class DatabaseRetry {

    private static final Logger logger = LoggerFactory.getLogger(DatabaseRetry.class);

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);

    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final Duration window;

    DatabaseRetry(Duration window) {
        this.window = window;
    }

    /**
     * @param taskId for the log
     * @param what the work, for the log ("its final status")
     */
    <T> T call(String taskId, String what, Supplier<T> work) {
        long giveUpAt = System.nanoTime() + this.window.toNanos();
        Duration pause = FIRST_PAUSE;
        int failures = 0;
        while (true) {
            try {
                T result = work.get();
                if (failures > 0) {
                    logger.info("Task {}: the database took {} after {} failed attempts", taskId, what, failures);
                }
                return result;
            } catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
                failures++;
                if (System.nanoTime() + pause.toNanos() - giveUpAt >= 0) {
                    logger.warn("Task {}: the database did not take {} for {}; giving up", taskId, what, this.window);
                    throw ex;
                }
                if (failures == 1) {
                    logger.warn(
                            "Task {}: the database did not take {} ({}); trying again for up to {}",
                            taskId,
                            what,
                            ex.getMessage(),
                            this.window);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
                pause = (pause.compareTo(LONGEST_PAUSE.dividedBy(2)) > 0) ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
