package io.clawmesh.coordinator.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries the stream events of every replica to every other over PostgreSQL {@code LISTEN/NOTIFY} on channel
 * {@value #CHANNEL} (ADR 0013), so a client of any replica's {@code /api/v1/events} or dashboard sees what all of them
 * did. One thread sends this replica's events in order, off the request path; one holds a connection that listens and
 * hands the others' events to the local {@link EventStream}; a node another replica removed is announced as
 * {@link NodeRemovedElsewhere}, so its token stops working here at once. On H2 (one coordinator) it does nothing.
 */
@Component
public class EventFanOut implements SmartLifecycle {

    static final String CHANNEL = "clawmesh_events";

    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7900;

    private static final Logger logger = LoggerFactory.getLogger(EventFanOut.class);

    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final DataSource dataSource;

    private final EventStream stream;

    private final ReplicaIdentity identity;

    private final JsonMapper json;

    private final ApplicationEventPublisher publisher;

    private final BlockingQueue<MeshEventView> outbox = new ArrayBlockingQueue<>(10_000);

    private final AtomicLong dropped = new AtomicLong();

    private volatile boolean running;

    private volatile boolean postgres;

    private volatile boolean listening;

    private @Nullable Thread sender;

    private @Nullable Thread listener;

    public EventFanOut(
            DataSource dataSource,
            EventStream stream,
            ReplicaIdentity identity,
            JsonMapper json,
            ApplicationEventPublisher publisher) {
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.stream = stream;
        this.identity = identity;
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Whether this replica receives the others' events: always on H2, where there are no others. */
    public boolean isJoined() {
        return !this.postgres || this.listening;
    }

    @Override
    public void start() {
        this.running = true;
        this.postgres = isPostgres();
        if (!this.postgres) {
            return;
        }
        this.stream.fanOutTo(this::offer);
        this.listener =
                Thread.ofPlatform().name("event-fan-out-listen").daemon(true).start(this::listen);
        this.sender =
                Thread.ofPlatform().name("event-fan-out-notify").daemon(true).start(this::send);
    }

    private boolean isPostgres() {
        try (Connection connection = this.dataSource.getConnection()) {
            return connection.isWrapperFor(PGConnection.class);
        } catch (SQLException ex) {
            logger.warn("Cannot tell the database's kind; events stay on this replica: {}", ex.getMessage());
            return false;
        }
    }

    private void offer(MeshEventView view) {
        if (!this.outbox.offer(view) && this.dropped.incrementAndGet() % 1000 == 1) {
            logger.warn("The event fan-out falls behind: {} events not sent to the other replicas", this.dropped.get());
        }
    }

    private void send() {
        while (this.running) {
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                connection.setAutoCommit(true);
                while (this.running) {
                    MeshEventView view = this.outbox.poll(1, TimeUnit.SECONDS);
                    if (view != null) {
                        notify.setString(1, CHANNEL);
                        notify.setString(2, payload(view));
                        notify.execute();
                    }
                }
            } catch (InterruptedException ex) {
                return;
            } catch (SQLException | RuntimeException ex) {
                logger.warn("Sending events to the other replicas failed ({}); reconnecting", ex.getMessage());
                pause();
            }
        }
    }

    /** The event as JSON with this replica's id; without its content when that would not fit in a notification. */
    String payload(MeshEventView view) {
        String payload = this.json.writeValueAsString(new Envelope(this.identity.id(), view));
        if (payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
            return payload;
        }
        String shorter = this.json.writeValueAsString(new Envelope(this.identity.id(), withoutContent(view)));
        return (shorter.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES)
                ? shorter
                : this.json.writeValueAsString(new Envelope(this.identity.id(), withoutText(view)));
    }

    private void listen() {
        while (this.running) {
            try (Connection connection = this.dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                this.listening = true;
                logger.info("Replica {} receives the other replicas' events (LISTEN {})", this.identity, CHANNEL);
                while (this.running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            receive(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException ex) {
                if (this.running) {
                    logger.warn("Listening for the other replicas' events failed ({}); reconnecting", ex.getMessage());
                }
            } finally {
                this.listening = false;
            }
            pause();
        }
    }

    void receive(String payload) {
        try {
            Envelope envelope = this.json.readValue(payload, Envelope.class);
            if (!this.identity.id().equals(envelope.origin())) {
                MeshEventView event = envelope.event();
                this.stream.deliver(event);
                if (MeshEventTypes.NODE_REMOVED.equals(event.type()) && event.nodeId() != null) {
                    this.publisher.publishEvent(new NodeRemovedElsewhere(event.nodeId()));
                }
            }
        } catch (RuntimeException ex) {
            logger.debug("Ignoring a notification that is not an event: {}", ex.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static MeshEventView withoutContent(MeshEventView view) {
        return new MeshEventView(
                view.id(),
                view.type(),
                view.time(),
                view.nodeId(),
                view.nodeName(),
                view.status(),
                view.previousStatus(),
                view.ruleId(),
                view.match(),
                view.target(),
                view.position(),
                view.messageId(),
                view.outcome(),
                view.latencyMs(),
                view.attempts(),
                view.detail(),
                null,
                view.taskId());
    }

    private static MeshEventView withoutText(MeshEventView view) {
        MeshEventView bare = withoutContent(view);
        String detail = bare.detail();
        return new MeshEventView(
                bare.id(),
                bare.type(),
                bare.time(),
                bare.nodeId(),
                bare.nodeName(),
                bare.status(),
                bare.previousStatus(),
                bare.ruleId(),
                bare.match(),
                bare.target(),
                bare.position(),
                bare.messageId(),
                bare.outcome(),
                bare.latencyMs(),
                bare.attempts(),
                (detail != null && detail.length() > 1000) ? detail.substring(0, 1000) : detail,
                null,
                bare.taskId());
    }

    @Override
    public void stop() {
        this.running = false;
        Thread[] threads = {this.sender, this.listener};
        for (Thread thread : threads) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** One notification: the replica that made the event, and the event. */
    record Envelope(
            @JsonProperty("origin") String origin,
            @JsonProperty("event") MeshEventView event) {}
}
