package io.clawmesh.coordinator.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Nodes that just failed a forward are kept out of automatic selection until their cooldown ends or a probe
 * succeeds. Routing owns it because candidate selection reads it; forwarding and health only report failures and
 * recoveries.
 * <p>
 * Routing reads the cooldowns from memory. With a database (the coordinator's), they are shared between replicas
 * through table {@code node_cooldowns}: a failure cools the node down in the table at once, a probe's success (the
 * scheduler leader's) deletes its row, and every replica re-reads the table every
 * {@code mesh.registry.cache-refresh}, so a node that failed a forward from one replica is kept out on all of
 * them within that time. End times are the coordinators' clocks, which replicas keep in step (NTP). When the database
 * does not answer, the cooldowns stay per replica: losing one only means one more failed attempt.
 */
public class FailoverCooldowns {

    private static final Logger logger = LoggerFactory.getLogger(FailoverCooldowns.class);

    /** Rows this long past their end are deleted by whichever replica refreshes. */
    private static final Duration KEEP_ENDED = Duration.ofMinutes(1);

    private volatile Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();

    private final Duration cooldown;

    private final Clock clock;

    private final @Nullable JdbcClient jdbc;

    /** Keeps a node out for {@code cooldown} after a failed forward ({@code mesh.forwarding.cooldown}), per replica. */
    public FailoverCooldowns(Duration cooldown, Clock clock) {
        this(cooldown, clock, null);
    }

    /** Shares the cooldowns with the other replicas on this database, when there is one. */
    public FailoverCooldowns(Duration cooldown, Clock clock, @Nullable JdbcClient jdbc) {
        this.cooldown = cooldown;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    public void coolDown(String nodeId) {
        Instant until = this.clock.instant().plus(this.cooldown);
        this.coolingUntil.put(nodeId, until);
        if (this.jdbc != null) {
            try {
                OffsetDateTime time = until.atOffset(ZoneOffset.UTC);
                if (this.jdbc
                                .sql("UPDATE node_cooldowns SET cooling_until = ? WHERE node_id = ?")
                                .params(time, nodeId)
                                .update()
                        == 0) {
                    this.jdbc
                            .sql("INSERT INTO node_cooldowns (node_id, cooling_until) VALUES (?, ?)")
                            .params(nodeId, time)
                            .update();
                }
            } catch (DataAccessException ex) {
                // another replica inserted the same node's row at once (a cooldown there too), or no database
                logger.debug("Cooldown of node {} not shared: {}", nodeId, ex.getMessage());
            }
        }
    }

    public boolean isCooling(String nodeId) {
        Map<String, Instant> cooling = this.coolingUntil;
        if (cooling.isEmpty()) {
            return false;
        }
        Instant until = cooling.get(nodeId);
        if (until == null) {
            return false;
        }
        if (until.isBefore(this.clock.instant())) {
            cooling.remove(nodeId, until);
            return false;
        }
        return true;
    }

    /** Ends a cooldown early: a probe showed the node is fine. */
    public void clear(String nodeId) {
        boolean known = this.coolingUntil.remove(nodeId) != null;
        if (known && this.jdbc != null) {
            try {
                this.jdbc
                        .sql("DELETE FROM node_cooldowns WHERE node_id = ?")
                        .param(nodeId)
                        .update();
            } catch (DataAccessException ex) {
                logger.debug("Cleared cooldown of node {} not shared: {}", nodeId, ex.getMessage());
            }
        }
    }

    /**
     * Takes the cooldowns the replicas share from the table, dropping those a probe ended on another replica, and
     * deletes rows long ended. Does nothing without a database.
     */
    @Scheduled(
            fixedDelayString = "${mesh.registry.cache-refresh:1s}",
            initialDelayString = "${mesh.registry.cache-refresh:1s}")
    public void refresh() {
        if (this.jdbc == null) {
            return;
        }
        Instant now = this.clock.instant();
        try {
            Map<String, Instant> shared = new HashMap<>();
            this.jdbc
                    .sql("SELECT node_id, cooling_until FROM node_cooldowns WHERE cooling_until > ?")
                    .param(now.atOffset(ZoneOffset.UTC))
                    .query((rs) -> {
                        shared.put(
                                rs.getString("node_id"),
                                rs.getObject("cooling_until", OffsetDateTime.class)
                                        .toInstant());
                    });
            this.coolingUntil = new ConcurrentHashMap<>(shared);
            this.jdbc
                    .sql("DELETE FROM node_cooldowns WHERE cooling_until < ?")
                    .param(now.minus(KEEP_ENDED).atOffset(ZoneOffset.UTC))
                    .update();
        } catch (DataAccessException ex) {
            logger.warn(
                    "Cannot read the cooldowns the replicas share; keeping this replica's own: {}", ex.getMessage());
        }
    }
}
