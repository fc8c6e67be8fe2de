package io.clawmesh.agent.tls;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link NodeCertificates#step()} on one virtual thread, each run after the previous one, from the moment the
 * application is ready; loads the stored certificate before the HTTP server opens.
 */
public class NodeCertificateTask implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    private final NodeCertificates certificates;

    private volatile boolean running;

    private @Nullable ScheduledExecutorService executor;

    private final boolean enabled;

    /** @param enabled whether this agent serves mutual TLS; when not, the task does nothing */
    public NodeCertificateTask(NodeCertificates certificates, boolean enabled) {
        this.certificates = certificates;
        this.enabled = enabled;
    }

    @Override
    public void start() {
        if (this.enabled) {
            this.certificates.load();
        }
        this.running = true;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        synchronized (this) {
            if (!this.enabled || !this.running || this.executor != null) {
                return;
            }
            this.executor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofVirtual().name("mesh-node-certificate").factory());
        }
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        ScheduledExecutorService current;
        synchronized (this) {
            current = this.executor;
        }
        if (current == null || current.isShutdown()) {
            return;
        }
        current.schedule(
                () -> {
                    Duration next;
                    try {
                        next = this.certificates.step();
                    } catch (RuntimeException ex) {
                        next = NodeCertificates.RETRY;
                    }
                    schedule(next);
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
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
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Before the HTTP server ({@code AgentHttpServer.PHASE}), so a stored certificate is served from the start. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }
}
