package io.clawmesh.agent.registration;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link NodeRegistrar#step()} on one thread, each run scheduled after the previous one finished (so runs
 * never overlap), from the moment the application is ready. It stops after the agent's HTTP server has let in-flight
 * messages finish (its phase is higher, so it stops first) and then deregisters the node.
 */
public class HeartbeatTask implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger logger = LoggerFactory.getLogger(HeartbeatTask.class);

    /** Below the HTTP server's phase ({@code AgentHttpServer.PHASE}, DEFAULT_PHASE - 2048): stops after it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final NodeRegistrar service;

    private final Duration deregisterTimeout;

    private final Duration retryAfterError;

    private volatile boolean running;

    private @Nullable ScheduledExecutorService executor;

    public HeartbeatTask(NodeRegistrar service, Duration deregisterTimeout, Duration retryAfterError) {
        this.service = service;
        this.deregisterTimeout = deregisterTimeout;
        this.retryAfterError = retryAfterError;
    }

    /**
     * Loads the stored identity before the HTTP server opens (this phase starts first), so that a restarted agent
     * accepts the messages the coordinator still sends it under its old id instead of answering "not registered".
     */
    @Override
    public void start() {
        this.service.start();
        this.running = true;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        synchronized (this) {
            if (!this.running || this.executor != null) {
                return;
            }
            this.executor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofVirtual().name("mesh-heartbeat").factory());
        }
        schedule(Duration.ZERO);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current;
        synchronized (this) {
            this.running = false;
            current = this.executor;
            this.executor = null;
        }
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.service.deregister(this.deregisterTimeout);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void beat() {
        Duration next;
        try {
            next = this.service.step();
        } catch (RuntimeException ex) {
            logger.error("Registration step failed unexpectedly; trying again in {}", this.retryAfterError, ex);
            next = this.retryAfterError;
        }
        schedule(next);
    }

    private void schedule(Duration delay) {
        ScheduledExecutorService current = this.executor;
        if (!this.running || current == null) {
            return;
        }
        try {
            current.schedule(this::beat, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            // shutting down
        }
    }
}
