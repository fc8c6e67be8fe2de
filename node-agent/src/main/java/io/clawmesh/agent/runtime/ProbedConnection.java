package io.clawmesh.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a runtime that is reached over plain HTTP is up, for {@link AgentRuntime#info()}: answers the last known
 * state at once and refreshes it in the background with the runtime's health probe once it is older than the refresh
 * interval, so heartbeats and {@code /healthz} never wait for the runtime. Every real call also updates the state.
 */
public class ProbedConnection {

    private static final Logger logger = LoggerFactory.getLogger(ProbedConnection.class);

    private final String runtime;

    private final BooleanSupplier probe;

    private final Duration refresh;

    private final Clock clock;

    private final AtomicBoolean probing = new AtomicBoolean();

    private volatile boolean connected;

    private volatile Instant checkedAt;

    /** Probes once, synchronously, so the state is known from the start. */
    public ProbedConnection(String runtime, BooleanSupplier probe, Duration refresh, Clock clock) {
        this.runtime = runtime;
        this.probe = probe;
        this.refresh = refresh;
        this.clock = clock;
        this.connected = probe.getAsBoolean();
        this.checkedAt = clock.instant();
        if (!this.connected) {
            logger.warn("The {} runtime is not reachable yet: the node reports itself degraded until it is", runtime);
        }
    }

    /** The last known state; starts a background probe when that state is stale. */
    public boolean connected() {
        if (this.clock.instant().isAfter(this.checkedAt.plus(this.refresh))
                && this.probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name(this.runtime + "-probe").start(() -> {
                try {
                    update(this.probe.getAsBoolean());
                } finally {
                    this.probing.set(false);
                }
            });
        }
        return this.connected;
    }

    /** Records what a real call showed: it reached the runtime, or it could not. */
    public void update(boolean reachable) {
        this.checkedAt = this.clock.instant();
        if (reachable != this.connected) {
            this.connected = reachable;
            if (reachable) {
                logger.info("The {} runtime is reachable again", this.runtime);
            } else {
                logger.warn("Lost the {} runtime: the node reports itself degraded until it is back", this.runtime);
            }
        }
    }
}
