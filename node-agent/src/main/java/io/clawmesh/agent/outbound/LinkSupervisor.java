package io.clawmesh.agent.outbound;

import io.clawmesh.agent.Backoff;
import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.HeartbeatRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps an outbound agent connected: once the node is registered as outbound (or, after a resume, might be), it opens
 * the WebSocket, pings, and reconnects with jittered backoff when the connection drops, the watchdog hears nothing
 * for too long, or the node's token changes (it registered again).
 */
public class LinkSupervisor implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(LinkSupervisor.class);

    /** How often a supervisor without work looks again (not registered yet, or inbound). */
    static final Duration IDLE = Duration.ofSeconds(1);

    private final RegistrationState state;

    private final ConnectMode preference;

    /** The coordinators' base URLs (several replicas, SPEC §19): the connection goes to one, the next when it fails. */
    private final List<String> coordinatorUrls;

    /** Index of the URL the connection goes to now: only the supervisor's own thread changes it. */
    private int currentUrl;

    private final AgentHttpServer server;

    private final LinkProperties properties;

    private final Backoff backoff;

    private final JsonMapper json;

    private final Clock clock;

    private final HttpClient client;

    private final Duration shutdownGrace;

    private volatile boolean running;

    private volatile @Nullable CoordinatorLink current;

    private @Nullable Thread thread;

    private int failures;

    public LinkSupervisor(
            RegistrationState state,
            ConnectMode preference,
            List<String> coordinatorUrls,
            AgentHttpServer server,
            LinkProperties properties,
            Backoff backoff,
            JsonMapper json,
            Clock clock,
            Duration shutdownGrace,
            @Nullable SSLContext tls) {
        this.shutdownGrace = shutdownGrace;
        this.state = state;
        this.preference = preference;
        if (coordinatorUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one coordinator URL is needed");
        }
        this.coordinatorUrls = List.copyOf(coordinatorUrls);
        this.server = server;
        this.properties = properties;
        this.backoff = backoff;
        this.json = json;
        this.clock = clock;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout());
        if (tls != null) {
            client.sslContext(tls); // wss:// with the same pinned trust as the agent's other calls
        }
        this.client = client.build();
    }

    /** The WebSocket address of a node's connection, {@code ws://} or {@code wss://} like the coordinator URL. */
    static URI connectUri(String coordinatorUrl, String nodeId) {
        String base = coordinatorUrl.replaceFirst("^(?i)http", "ws");
        return URI.create(base + "/api/v1/nodes/" + nodeId + "/connect");
    }

    /** Whether this agent should hold a connection now. */
    boolean wanted() {
        if (this.preference == ConnectMode.INBOUND || this.state.identity().isEmpty()) {
            return false;
        }
        return this.preference == ConnectMode.OUTBOUND
                || this.state
                        .connect()
                        .map((mode) -> mode == ConnectMode.OUTBOUND)
                        .orElse(true);
    }

    /** Whether the connection is open; for tests and the health answer. */
    public boolean connected() {
        CoordinatorLink link = this.current;
        return link != null && !link.closed().isDone();
    }

    /** Connects when wanted, holds the connection until it ends, and answers how long to wait before the next step. */
    Duration step() {
        Optional<NodeIdentity> identity = this.state.identity();
        if (!wanted() || identity.isEmpty()) {
            return IDLE;
        }
        CoordinatorLink link;
        try {
            link = CoordinatorLink.open(
                    this.client,
                    connectUri(url(), identity.get().nodeId()),
                    identity.get().token(),
                    this.server,
                    this.json,
                    this.clock,
                    this.properties.connectTimeout(),
                    this.state::nodeTokenReceived);
        } catch (WebSocketHandshakeException ex) {
            return refused(identity.get(), ex.getResponse().statusCode());
        } catch (IOException ex) {
            return unreachable(ex);
        }
        this.failures = 0;
        this.current = link;
        Predicate<HeartbeatRequest> heartbeats = (heartbeat) -> {
            try {
                link.send(LinkFrame.heartbeat(heartbeat));
                return true;
            } catch (IOException ex) {
                return false;
            }
        };
        this.state.heartbeatOver(heartbeats);
        logger.info(
                "Connected to {} as node {} (outbound)", url(), identity.get().nodeId());
        String reason = hold(link, identity.get());
        this.state.heartbeatOver(null);
        this.current = null;
        Duration delay = this.backoff.delay(1);
        logger.warn("Connection to {} ended ({}); reconnecting in {} ms", url(), reason, delay.toMillis());
        return delay;
    }

    /** Pings until the connection ends; the watchdog ends it when nothing was heard for too long. */
    private String hold(CoordinatorLink link, NodeIdentity connectedAs) {
        NodeIdentity identity = connectedAs;
        while (this.running) {
            try {
                return link.closed().get(this.properties.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                Duration silent = Duration.between(link.lastHeard(), this.clock.instant());
                if (silent.compareTo(this.properties.watchdog()) > 0) {
                    link.abort("watchdog");
                    return "nothing heard for " + silent.toSeconds() + " s";
                }
                Optional<NodeIdentity> current = this.state.identity();
                if (current.isPresent() && rotatedFrom(identity, current.get())) {
                    // a token rotation (ADR 0014): same node, and the connection stays; a reconnect uses the new token
                    identity = current.get();
                } else if (!current.equals(Optional.of(identity))) {
                    link.abort("new identity");
                    return "the node registered again";
                }
                link.ping();
            } catch (ExecutionException ex) {
                return String.valueOf(ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        link.close();
        return "agent stops";
    }

    /** Whether {@code current} is {@code before} after a token rotation, which needs no new connection. */
    static boolean rotatedFrom(NodeIdentity before, NodeIdentity current) {
        return !current.token().equals(before.token())
                && current.nodeId().equals(before.nodeId())
                && current.coordinatorUrl().equals(before.coordinatorUrl())
                && before.token().equals(current.previousToken());
    }

    /**
     * The coordinator did not answer the connection (refused, unreachable, timed out): the next URL is tried at once,
     * and the backoff applies only once every URL failed in a row, so the agent moves to a live replica as soon as the
     * one holding its connection dies.
     */
    private Duration unreachable(IOException ex) {
        String failed = url();
        Duration delay = this.backoff.delay(++this.failures);
        if (this.coordinatorUrls.size() > 1) {
            this.currentUrl = (this.currentUrl + 1) % this.coordinatorUrls.size();
            if (this.failures % this.coordinatorUrls.size() != 0) {
                logger.warn("Cannot connect to {} ({}); trying {}", failed, ex.getMessage(), url());
                return Duration.ZERO;
            }
        }
        logger.warn("Cannot connect to {} ({}); retrying in {} ms", failed, ex.getMessage(), delay.toMillis());
        return delay;
    }

    /** The coordinator URL the connection goes to now. */
    String url() {
        return this.coordinatorUrls.get(this.currentUrl);
    }

    private Duration refused(NodeIdentity identity, int status) {
        Duration delay = this.backoff.delay(++this.failures);
        if (status == 409) {
            if (this.preference == ConnectMode.AUTO) {
                this.state.connectedAs(ConnectMode.INBOUND);
                logger.info("Coordinator reaches node {} inbound: no outbound connection needed", identity.nodeId());
                return IDLE;
            }
            delay = this.backoff.max();
            logger.warn(
                    "Coordinator {} has node {} as inbound, but this agent runs with --connect outbound: remove the "
                            + "node (claw-mesh nodes rm) so it registers again as outbound. Retrying in {} ms",
                    url(),
                    identity.nodeId(),
                    delay.toMillis());
            return delay;
        }
        logger.warn(
                "Coordinator {} refused the connection of node {} ({}); retrying in {} ms",
                url(),
                identity.nodeId(),
                status,
                delay.toMillis());
        return delay;
    }

    @Override
    public synchronized void start() {
        if (this.running || this.preference == ConnectMode.INBOUND) {
            return;
        }
        this.running = true;
        this.thread = Thread.ofVirtual().name("mesh-link").start(this::loop);
    }

    private void loop() {
        Object pause = new Object();
        while (this.running) {
            Duration delay = step();
            synchronized (pause) {
                try {
                    if (this.running) {
                        pause.wait(Math.max(1, delay.toMillis()));
                    }
                } catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    /** Lets the exchanges in flight finish within the shutdown grace, then closes the connection. */
    @Override
    public synchronized void stop() {
        this.running = false;
        CoordinatorLink link = this.current;
        if (link != null) {
            try {
                if (!link.awaitIdle(this.shutdownGrace)) {
                    logger.warn(
                            "Closing the connection with exchanges still running after {} ms",
                            this.shutdownGrace.toMillis());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            link.close();
        }
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Stops after the API (in-flight exchanges finish within its grace) and before the heartbeat deregisters. */
    @Override
    public int getPhase() {
        return AgentHttpServer.PHASE + 1;
    }
}
