package io.clawmesh.coordinator.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One timer per unfinished task, firing at its deadline (submission plus its timeout). "When" lives here; what an
 * expiry does is the handler's business ({@link TaskBoard#expire}). Timers are in memory: recovery sets them again
 * after a restart.
 */
@Component
public class TaskDeadlines implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(TaskDeadlines.class);

    private final ScheduledThreadPoolExecutor timer;

    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    private final Clock clock;

    private volatile Consumer<String> handler = (id) -> {};

    public TaskDeadlines(Clock clock) {
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("task-deadlines").daemon(true).factory());
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** What to do when a task's deadline passes; set once by the task board. */
    void onExpiry(Consumer<String> expiryHandler) {
        this.handler = expiryHandler;
    }

    /** Sets the timer of a task; a task whose deadline passed already expires at once (on the timer thread). */
    void schedule(String taskId, Instant deadline) {
        long delay =
                Math.max(0, Duration.between(this.clock.instant(), deadline).toMillis());
        ScheduledFuture<?> future = this.timer.schedule(() -> fire(taskId), delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = this.timers.put(taskId, future);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** Stops the timer of a task that ended. */
    void cancel(String taskId) {
        ScheduledFuture<?> future = this.timers.remove(taskId);
        if (future != null) {
            future.cancel(false);
        }
    }

    /** How many timers are set; for tests and metrics. */
    int size() {
        return this.timers.size();
    }

    private void fire(String taskId) {
        this.timers.remove(taskId);
        // the expiry may talk to a node: never on the single timer thread
        Thread.ofVirtual().name("task-expiry-" + taskId).start(() -> {
            try {
                this.handler.accept(taskId);
            } catch (RuntimeException ex) {
                logger.warn("Task {}: could not end it at its deadline: {}", taskId, ex.getMessage());
            }
        });
    }

    @Override
    public void destroy() {
        this.timer.shutdownNow();
    }
}
