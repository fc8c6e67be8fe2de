package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.coordinator.outbound.AgentLinkClosed;
import io.clawmesh.coordinator.outbound.AgentLinkOpened;
import io.clawmesh.coordinator.outbound.LinkHolders;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import io.clawmesh.coordinator.replicas.ReplicaRegistry;
import io.clawmesh.coordinator.replicas.SchedulerLeadership;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Where each outbound node's connection is: {@code nodes.link_replica} names the replica that holds it, set when the
 * connection opens and cleared when it closes, when that replica stops, and (by the scheduler leader) when it died;
 * {@code replica_relays} says where each replica's relay endpoint is reached.
 */
@Component
public class LinkLocations implements SmartLifecycle, LinkHolders {

    private static final Logger logger = LoggerFactory.getLogger(LinkLocations.class);

    private final JdbcClient jdbc;

    private final ReplicaIdentity identity;

    private final ReplicaRegistry replicas;

    private final SchedulerLeadership leadership;

    private final RelayProperties properties;

    private final Environment environment;

    private volatile @Nullable String url;

    private volatile boolean running;

    public LinkLocations(
            JdbcClient jdbc,
            ReplicaIdentity identity,
            ReplicaRegistry replicas,
            SchedulerLeadership leadership,
            RelayProperties properties,
            Environment environment) {
        this.jdbc = jdbc;
        this.identity = identity;
        this.replicas = replicas;
        this.leadership = leadership;
        this.properties = properties;
        this.environment = environment;
    }

    /** The replica holding a node's connection and its relay URL, when that replica is alive. */
    public Optional<Location> find(String nodeId) {
        return this.jdbc
                .sql("SELECT n.link_replica, r.url FROM nodes n"
                        + " JOIN replica_relays r ON r.replica = n.link_replica"
                        + " JOIN coordinator_replicas c ON c.id = n.link_replica"
                        + " WHERE n.id = ? AND c.last_seen >= ?")
                .params(nodeId, time(this.replicas.aliveSince()))
                .query((rs, row) -> new Location(rs.getString(1), rs.getString(2)))
                .optional();
    }

    @Override
    public boolean heldByAnotherReplica(String nodeId) {
        try {
            return find(nodeId)
                    .filter((location) -> !location.replica().equals(this.identity.id()))
                    .isPresent();
        } catch (DataAccessException ex) {
            return false;
        }
    }

    /** The replica named as holding a node's connection, alive or not; for tests and operators. */
    Optional<String> holder(String nodeId) {
        return this.jdbc
                .sql("SELECT link_replica FROM nodes WHERE id = ? AND link_replica IS NOT NULL")
                .param(nodeId)
                .query(String.class)
                .optional();
    }

    public String replicaId() {
        return this.identity.id();
    }

    @EventListener
    void onOpened(AgentLinkOpened opened) {
        try {
            this.jdbc
                    .sql("UPDATE nodes SET link_replica = ? WHERE id = ?")
                    .params(this.identity.id(), opened.nodeId())
                    .update();
        } catch (DataAccessException ex) {
            logger.warn(
                    "Node {}: cannot record that replica {} holds its connection; other replicas cannot relay to it: {}",
                    opened.nodeId(),
                    this.identity,
                    ex.getMessage());
        }
    }

    /** Only this replica's own mark is cleared: the agent may have reconnected to another replica meanwhile. */
    @EventListener
    void onClosed(AgentLinkClosed closed) {
        try {
            this.jdbc
                    .sql("UPDATE nodes SET link_replica = NULL WHERE id = ? AND link_replica = ?")
                    .params(closed.nodeId(), this.identity.id())
                    .update();
        } catch (DataAccessException ex) {
            logger.warn("Node {}: cannot clear where its connection was: {}", closed.nodeId(), ex.getMessage());
        }
    }

    /** Once the port is known: publishes where the other replicas reach this one's relay endpoint. */
    @EventListener
    void onWebServer(WebServerInitializedEvent initialized) {
        String configured = this.properties.url();
        String base = (configured != null && !configured.isBlank())
                ? configured.strip()
                : defaultUrl(initialized.getWebServer().getPort());
        this.url = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        publishUrl();
        logger.info("Replica {} relays to its outbound agents at {}", this.identity, this.url);
    }

    private String defaultUrl(int port) {
        boolean tls = this.environment.getProperty("server.ssl.enabled", Boolean.class, false);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException ex) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + port;
    }

    private void publishUrl() {
        String current = this.url;
        if (current == null) {
            return;
        }
        try {
            int updated = this.jdbc
                    .sql("UPDATE replica_relays SET url = ?, updated_at = CURRENT_TIMESTAMP WHERE replica = ?")
                    .params(current, this.identity.id())
                    .update();
            if (updated == 0) {
                this.jdbc
                        .sql("INSERT INTO replica_relays (replica, url, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)")
                        .params(this.identity.id(), current)
                        .update();
            }
        } catch (DataAccessException ex) {
            logger.warn("Cannot publish replica {}'s relay URL: {}", this.identity, ex.getMessage());
        }
    }

    /**
     * Every replica keeps its relay row (another replica's clean-up may have removed it while this one stalled); the
     * scheduler leader clears the connections of replicas that are no longer alive, and their relay rows.
     */
    @Scheduled(
            fixedDelayString = "${mesh.replicas.heartbeat-interval:2s}",
            initialDelayString = "${mesh.replicas.heartbeat-interval:2s}")
    public void sweep() {
        if (!this.running) {
            return;
        }
        try {
            if (this.url != null && holderOfRelayRow().isEmpty()) {
                publishUrl();
            }
            this.leadership.runIfLeader("relay-links", this::clearDead);
        } catch (DataAccessException ex) {
            logger.warn("Cannot sweep the outbound connections of dead replicas: {}", ex.getMessage());
        }
    }

    private Optional<String> holderOfRelayRow() {
        return this.jdbc
                .sql("SELECT url FROM replica_relays WHERE replica = ?")
                .param(this.identity.id())
                .query(String.class)
                .optional();
    }

    /** Clears the connections held by replicas that are not alive; for the leader and tests. */
    int clearDead() {
        OffsetDateTime aliveSince = time(this.replicas.aliveSince());
        int cleared = this.jdbc
                .sql("UPDATE nodes SET link_replica = NULL WHERE link_replica IS NOT NULL AND link_replica NOT IN"
                        + " (SELECT id FROM coordinator_replicas WHERE last_seen >= ?)")
                .param(aliveSince)
                .update();
        this.jdbc
                .sql("DELETE FROM replica_relays WHERE replica NOT IN"
                        + " (SELECT id FROM coordinator_replicas WHERE last_seen >= ?)")
                .param(aliveSince)
                .update();
        if (cleared > 0) {
            logger.info("Cleared {} outbound connection(s) held by replicas that are no longer alive", cleared);
        }
        return cleared;
    }

    /** A replica that starts holds no connection yet, whatever its previous run left behind. */
    @Override
    public void start() {
        this.running = true;
        clearOwn();
    }

    /** Leaving: the agents will reconnect elsewhere, and nobody relays through this replica meanwhile. */
    @Override
    public void stop() {
        this.running = false;
        clearOwn();
        try {
            this.jdbc
                    .sql("DELETE FROM replica_relays WHERE replica = ?")
                    .param(this.identity.id())
                    .update();
        } catch (DataAccessException ex) {
            logger.debug("Cannot remove replica {}'s relay row: {}", this.identity, ex.getMessage());
        }
    }

    private void clearOwn() {
        try {
            this.jdbc
                    .sql("UPDATE nodes SET link_replica = NULL WHERE link_replica = ?")
                    .param(this.identity.id())
                    .update();
        } catch (DataAccessException ex) {
            logger.warn("Cannot clear replica {}'s outbound connections: {}", this.identity, ex.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** After the replica registry and the leadership, before the web server takes connections. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1002;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Where a node's connection is. */
    public record Location(String replica, String url) {}
}
