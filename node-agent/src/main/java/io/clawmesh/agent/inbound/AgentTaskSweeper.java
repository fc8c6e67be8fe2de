package io.clawmesh.agent.inbound;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * When the agent's tasks are looked after: {@link AgentTasks#sweep()} at a fixed interval (timeouts, retention), and
 * {@link AgentTasks#close()} on stop. Stops before the HTTP server, so the event streams of running tasks end with
 * their final event and do not hold the server's shutdown.
 */
public class AgentTaskSweeper implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(AgentTaskSweeper.class);

    private final AgentTasks tasks;

    private final Duration interval;

    private @Nullable ScheduledExecutorService scheduler;

    public AgentTaskSweeper(AgentTasks tasks, Duration interval) {
        this.tasks = tasks;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (this.scheduler != null) {
            return;
        }
        ScheduledExecutorService created = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("mesh-task-sweeper").factory());
        long millis = Math.max(1, this.interval.toMillis());
        created.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
        this.scheduler = created;
    }

    @Override
    public void stop() {
        ScheduledExecutorService current;
        synchronized (this) {
            current = this.scheduler;
            this.scheduler = null;
        }
        if (current != null) {
            current.shutdownNow();
            this.tasks.close();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.scheduler != null;
    }

    /** Just before the HTTP server stops (a higher phase stops first). */
    @Override
    public int getPhase() {
        return AgentHttpServer.PHASE + 1;
    }

    private void sweep() {
        try {
            this.tasks.sweep();
        } catch (RuntimeException ex) {
            // a failed sweep must not end the schedule: the next one tries again
            logger.warn("Sweeping the tasks failed", ex);
        }
    }
}
