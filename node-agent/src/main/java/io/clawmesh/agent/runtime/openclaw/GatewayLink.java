package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.Backoff;
import io.clawmesh.agent.runtime.openclaw.GatewayHandshakeException.Failure;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one WebSocket to the gateway up for the life of the agent: connects, watches it (a dead link is one without
 * any frame for two tick intervals, as the reference client decides), and reconnects with exponential backoff and
 * jitter. {@code GET /healthz} tells whether the gateway is alive while there is no WebSocket.
 */
final class GatewayLink {

    private static final Logger logger = LoggerFactory.getLogger(GatewayLink.class);

    private final OpenClawSettings settings;

    private final GatewayHandshake handshake;

    private final HttpClient http;

    private final OpenClawTimings timings;

    private final Clock clock;

    private final Backoff backoff;

    private final Object monitor = new Object();

    private volatile @Nullable GatewayConnection current;

    private volatile @Nullable GatewayHello hello;

    private volatile @Nullable GatewayHandshakeException lastFailure;

    private volatile boolean healthy;

    private volatile boolean running;

    private @Nullable Thread supervisor;

    GatewayLink(
            OpenClawSettings settings,
            GatewayHandshake handshake,
            HttpClient http,
            OpenClawTimings timings,
            Clock clock,
            RandomGenerator random) {
        this.settings = settings;
        this.handshake = handshake;
        this.http = http;
        this.timings = timings;
        this.clock = clock;
        this.backoff = new Backoff(timings.reconnectInitial(), timings.reconnectMax(), random);
    }

    synchronized void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        this.supervisor = Thread.ofVirtual().name("openclaw-link").start(this::superviseQuietly);
    }

    synchronized void stop() {
        this.running = false;
        Thread thread = this.supervisor;
        if (thread != null) {
            thread.interrupt();
        }
        GatewayConnection connection = this.current;
        if (connection != null) {
            connection.close("agent stopping");
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.supervisor = null;
    }

    boolean isRunning() {
        return this.running;
    }

    /** The open connection, waiting for one until {@code until}; {@code null} when none came in time. */
    @Nullable
    GatewayConnection await(Instant until) throws InterruptedException {
        return await(until, () -> false);
    }

    /**
     * The open connection, waiting for one until {@code until} or until {@code giveUp} says so after a {@link #wake()};
     * {@code null} when none came.
     */
    @Nullable
    GatewayConnection await(Instant until, java.util.function.BooleanSupplier giveUp) throws InterruptedException {
        synchronized (this.monitor) {
            while (true) {
                GatewayConnection connection = this.current;
                if (connection != null && connection.isOpen()) {
                    return connection;
                }
                long millis = Duration.between(this.clock.instant(), until).toMillis();
                if (millis <= 0 || !this.running || giveUp.getAsBoolean()) {
                    return null;
                }
                this.monitor.wait(millis);
            }
        }
    }

    /** Wakes the threads waiting in {@link #await}, so they ask their {@code giveUp} again. */
    void wake() {
        synchronized (this.monitor) {
            this.monitor.notifyAll();
        }
    }

    @Nullable
    GatewayConnection connectedOrNull() {
        GatewayConnection connection = this.current;
        return (connection != null && connection.isOpen()) ? connection : null;
    }

    boolean connected() {
        GatewayConnection connection = this.current;
        return connection != null && connection.isOpen();
    }

    /** The gateway answered {@code /healthz} on the last check made while the WebSocket was down. */
    boolean healthy() {
        return this.healthy;
    }

    @Nullable
    GatewayHello hello() {
        return this.hello;
    }

    @Nullable
    GatewayHandshakeException lastFailure() {
        return this.lastFailure;
    }

    /** Why there is no connection, for error messages. */
    String whyDisconnected() {
        GatewayHandshakeException failure = this.lastFailure;
        return (failure != null) ? failure.getMessage() : "not connected yet";
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            logger.error("OpenClaw connection supervisor stopped unexpectedly", ex);
        }
    }

    private void supervise() throws InterruptedException {
        if (this.settings.transport() == OpenClawSettings.Transport.HTTP) {
            watchHealth();
            return;
        }
        int failures = 0;
        @Nullable Failure lastKind = null;
        while (this.running) {
            try {
                GatewayHandshake.Connected connected = this.handshake.open(this.settings, this.timings.handshake());
                failures = 0;
                lastKind = null;
                this.lastFailure = null;
                this.hello = connected.hello();
                logger.info(
                        "Connected to OpenClaw {} at {} (protocol {}, scopes {})",
                        connected.hello().serverVersion(),
                        this.settings.webSocketUri(),
                        connected.hello().protocol(),
                        connected.hello().scopes());
                publish(connected.connection());
                String why = watch(connected.connection(), connected.hello().tickInterval());
                publish(null);
                this.healthy = false;
                if (this.running) {
                    logger.warn("Lost the OpenClaw gateway connection ({}); reconnecting", why);
                }
            } catch (GatewayHandshakeException ex) {
                failures++;
                this.lastFailure = ex;
                this.healthy = probeHealth();
                if (ex.failure() != lastKind) {
                    logger.warn(
                            "OpenClaw gateway connection failed [{}]: {}{}",
                            ex.failure(),
                            ex.getMessage(),
                            this.healthy ? " (its /healthz answers)" : "");
                } else {
                    logger.debug("OpenClaw gateway connection failed again: {}", ex.getMessage());
                }
                lastKind = ex.failure();
                if (this.running) {
                    Thread.sleep(this.backoff.delay(failures));
                }
            }
        }
    }

    private void watchHealth() throws InterruptedException {
        boolean wasHealthy = true;
        while (this.running) {
            this.healthy = probeHealth();
            if (this.healthy != wasHealthy) {
                logger.info(
                        "OpenClaw gateway at {} {}",
                        this.settings.baseUrl(),
                        this.healthy ? "answers /healthz" : "does not answer /healthz");
            }
            wasHealthy = this.healthy;
            Thread.sleep(this.timings.healthInterval());
        }
    }

    private String watch(GatewayConnection connection, Duration tickInterval) throws InterruptedException {
        Duration deadAfter = tickInterval.multipliedBy(2);
        while (this.running) {
            try {
                return connection
                        .closed()
                        .get(Math.min(1000, Math.max(50, tickInterval.toMillis() / 4)), TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                if (connection.silence().compareTo(deadAfter) > 0) {
                    connection.abort("no tick from the gateway for "
                            + connection.silence().toMillis() + " ms");
                }
            } catch (ExecutionException ex) {
                return ex.getMessage();
            }
        }
        return "agent stopping";
    }

    private void publish(@Nullable GatewayConnection connection) {
        synchronized (this.monitor) {
            this.current = connection;
            this.monitor.notifyAll();
        }
    }

    private boolean probeHealth() {
        return OpenClawDiscovery.answersHealthz(this.http, this.settings.baseUrl());
    }
}
