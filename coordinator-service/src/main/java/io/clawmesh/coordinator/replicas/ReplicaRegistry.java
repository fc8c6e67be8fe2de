package io.clawmesh.coordinator.replicas;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The {@code coordinator_replicas} table: every replica renews its row, and a replica whose row went stale (or that
 * left and deleted it) is dead, so the others adopt what it followed. Times are the database's, so a replica with a
 * skewed clock is neither declared dead nor kept alive by mistake.
 */
@Component
public class ReplicaRegistry implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaRegistry.class);

    private final JdbcClient jdbc;

    private final ReplicaIdentity identity;

    private final ReplicaProperties properties;

    private final String address;

    private volatile boolean running;

    public ReplicaRegistry(JdbcClient jdbc, ReplicaIdentity identity, ReplicaProperties properties) {
        this.jdbc = jdbc;
        this.identity = identity;
        this.properties = properties;
        this.address = hostName() + " pid " + ProcessHandle.current().pid();
    }

    /** Renews this replica's row; writes it anew when another replica's clean-up or an operator removed it. */
    @Scheduled(
            fixedDelayString = "${mesh.replicas.heartbeat-interval:2s}",
            initialDelayString = "${mesh.replicas.heartbeat-interval:2s}")
    public void heartbeat() {
        if (!this.running) {
            return;
        }
        try {
            renew();
        } catch (DataAccessException ex) {
            logger.warn("Cannot renew replica {} in the database: {}", this.identity, ex.getMessage());
        }
    }

    private void renew() {
        int updated = this.jdbc
                .sql("UPDATE coordinator_replicas SET last_seen = CURRENT_TIMESTAMP, address = ? WHERE id = ?")
                .params(this.address, this.identity.id())
                .update();
        if (updated == 0) {
            try {
                this.jdbc
                        .sql("INSERT INTO coordinator_replicas (id, address, started_at, last_seen)"
                                + " VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                        .params(this.identity.id(), this.address)
                        .update();
            } catch (DuplicateKeyException ex) {
                renew();
            }
        }
    }

    /** Replicas whose row is newer than this (the database's time) are alive. */
    public Instant aliveSince() {
        return this.jdbc
                .sql("SELECT CURRENT_TIMESTAMP")
                .query(OffsetDateTime.class)
                .single()
                .toInstant()
                .minus(this.properties.deadAfter());
    }

    /**
     * Deletes the rows of replicas not seen for {@code mesh.replicas.forget-after}: long dead, their tasks adopted
     * long ago. Never this replica's own row. Run by the scheduler leader only.
     *
     * @return how many rows were deleted
     */
    public int forgetDead() {
        Instant cutOff = this.jdbc
                .sql("SELECT CURRENT_TIMESTAMP")
                .query(OffsetDateTime.class)
                .single()
                .toInstant()
                .minus(this.properties.forgetAfter());
        int deleted = this.jdbc
                .sql("DELETE FROM coordinator_replicas WHERE last_seen < ? AND id <> ?")
                .params(OffsetDateTime.ofInstant(cutOff, ZoneOffset.UTC), this.identity.id())
                .update();
        if (deleted > 0) {
            logger.info("Forgot {} replicas not seen since {}", deleted, cutOff);
        }
        return deleted;
    }

    /** Every replica in the table, alive or not, oldest first. */
    public List<Replica> all() {
        Instant aliveSince = aliveSince();
        return this.jdbc
                .sql("SELECT id, address, started_at, last_seen FROM coordinator_replicas ORDER BY started_at, id")
                .query((rs, row) -> {
                    Instant lastSeen =
                            rs.getObject("last_seen", OffsetDateTime.class).toInstant();
                    return new Replica(
                            rs.getString("id"),
                            rs.getString("address"),
                            rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                            lastSeen,
                            !lastSeen.isBefore(aliveSince));
                })
                .list();
    }

    public ReplicaIdentity identity() {
        return this.identity;
    }

    @Override
    public void start() {
        this.running = true;
        renew();
        logger.info("Coordinator replica {} ({}) joined", this.identity, this.address);
    }

    /** Leaving cleanly deletes the row, so the other replicas adopt this one's tasks at once. */
    @Override
    public void stop() {
        this.running = false;
        try {
            this.jdbc
                    .sql("DELETE FROM coordinator_replicas WHERE id = ?")
                    .param(this.identity.id())
                    .update();
        } catch (DataAccessException ex) {
            logger.warn("Cannot remove replica {} from the database: {}", this.identity, ex.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Early in, late out: every other part starts after the row exists and stops before it goes. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }

    /** One row of the table. */
    public record Replica(String id, String address, Instant startedAt, Instant lastSeen, boolean alive) {}
}
