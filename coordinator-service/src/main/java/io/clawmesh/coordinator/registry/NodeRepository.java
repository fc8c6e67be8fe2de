package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Nodes in the database, the source of truth that every coordinator replica shares. */
@Repository
public class NodeRepository {

    private static final String COLUMNS = "id, name, endpoint, capabilities, status, last_heartbeat, runtime_kind,"
            + " runtime_version, runtime_connected, inflight, capacity, token_hash, registered_at, status_changed_at, connect_mode";

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private final RowMapper<Node> rowMapper = this::mapRow;

    public NodeRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<Node> findAll() {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM nodes")
                .query(this.rowMapper)
                .list();
    }

    /** Nodes written at or after {@code since}: the incremental cache refresh. */
    public List<Node> findUpdatedSince(Instant since) {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM nodes WHERE updated_at >= ?")
                .param(utc(since))
                .query(this.rowMapper)
                .list();
    }

    public Optional<Node> findById(String id) {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM nodes WHERE id = ?")
                .param(id)
                .query(this.rowMapper)
                .optional();
    }

    public Optional<Node> findByName(String name) {
        return this.jdbc
                .sql("SELECT " + COLUMNS + " FROM nodes WHERE name = ?")
                .param(name)
                .query(this.rowMapper)
                .optional();
    }

    public void insert(Node node) {
        this.jdbc
                .sql("INSERT INTO nodes (" + COLUMNS
                        + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")
                .params(values(node))
                .update();
    }

    /** Rewrites every column, the token hash included: only a registration that takes a node over does this. */
    public boolean replace(Node node) {
        List<@Nullable Object> values = new ArrayList<>(values(node).subList(1, 15));
        values.add(node.id());
        return this.jdbc
                        .sql(
                                "UPDATE nodes SET name = ?, endpoint = ?, capabilities = ?, status = ?, last_heartbeat = ?,"
                                        + " runtime_kind = ?, runtime_version = ?, runtime_connected = ?, inflight = ?, capacity = ?,"
                                        + " token_hash = ?, registered_at = ?, status_changed_at = ?, connect_mode = ?,"
                                        + " updated_at = CURRENT_TIMESTAMP"
                                        + " WHERE id = ?")
                        .params(values)
                        .update()
                == 1;
    }

    /**
     * Renews a lease with what the agent reported. Never touches the identity columns (name, endpoint, token hash), so
     * a heartbeat racing a takeover cannot undo it.
     */
    public boolean renew(
            String id,
            Capabilities capabilities,
            NodeStatus status,
            RuntimeInfo runtime,
            int inflight,
            int capacity,
            Instant now) {
        return this.jdbc
                        .sql("UPDATE nodes SET capabilities = ?,"
                                + " status_changed_at = CASE WHEN status <> ? THEN ? ELSE status_changed_at END,"
                                + " status = ?, last_heartbeat = ?, runtime_kind = ?, runtime_version = ?, runtime_connected = ?,"
                                + " inflight = ?, capacity = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")
                        .params(Arrays.asList(
                                this.json.writeValueAsString(capabilities),
                                status.wireName(),
                                utc(now),
                                status.wireName(),
                                utc(now),
                                runtime.kind(),
                                runtime.version(),
                                runtime.connected(),
                                inflight,
                                capacity,
                                id))
                        .update()
                == 1;
    }

    /**
     * Moves a node from one status to another, only if it still has the expected status and, when
     * {@code heartbeatBefore} is given, only if no heartbeat arrived since: a compare-and-set, so a sweep or probe that
     * read a node just before a heartbeat cannot overwrite it.
     */
    public boolean transition(
            String id, NodeStatus expected, NodeStatus status, Instant now, @Nullable Instant heartbeatBefore) {
        String sql =
                "UPDATE nodes SET status = ?, status_changed_at = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND status = ?";
        List<@Nullable Object> params =
                new ArrayList<>(Arrays.asList(status.wireName(), utc(now), id, expected.wireName()));
        if (heartbeatBefore != null) {
            sql += " AND (last_heartbeat IS NULL OR last_heartbeat < ?)";
            params.add(utc(heartbeatBefore));
        }
        return this.jdbc.sql(sql).params(params).update() == 1;
    }

    /** Records a sign of life from a probe: status and runtime, and a renewed lease when {@code renew}. */
    public boolean confirmAlive(String id, NodeStatus status, RuntimeInfo runtime, boolean renew, Instant now) {
        return this.jdbc
                        .sql(
                                "UPDATE nodes SET status_changed_at = CASE WHEN status <> ? THEN ? ELSE status_changed_at END,"
                                        + " status = ?, runtime_kind = ?, runtime_version = ?, runtime_connected = ?,"
                                        + (renew ? " last_heartbeat = ?," : "")
                                        + " updated_at = CURRENT_TIMESTAMP WHERE id = ?")
                        .params(
                                renew
                                        ? Arrays.asList(
                                                status.wireName(),
                                                utc(now),
                                                status.wireName(),
                                                runtime.kind(),
                                                runtime.version(),
                                                runtime.connected(),
                                                utc(now),
                                                id)
                                        : Arrays.asList(
                                                status.wireName(),
                                                utc(now),
                                                status.wireName(),
                                                runtime.kind(),
                                                runtime.version(),
                                                runtime.connected(),
                                                id))
                        .update()
                == 1;
    }

    /** The database's clock: replicas compare {@code updated_at} against it, never against their own clocks. */
    public Instant databaseNow() {
        return this.jdbc
                .sql("SELECT CURRENT_TIMESTAMP")
                .query(OffsetDateTime.class)
                .single()
                .toInstant();
    }

    public boolean delete(String id) {
        return this.jdbc.sql("DELETE FROM nodes WHERE id = ?").param(id).update() == 1;
    }

    public List<String> findAllIds() {
        return this.jdbc.sql("SELECT id FROM nodes").query(String.class).list();
    }

    private List<@Nullable Object> values(Node node) {
        return Arrays.asList(
                node.id(),
                node.name(),
                // an outbound node without an endpoint: NULL, never a placeholder an operator could mistake
                node.endpoint().isEmpty() ? null : node.endpoint(),
                this.json.writeValueAsString(node.capabilities()),
                node.status().wireName(),
                utcOrNull(node.lastHeartbeat()),
                node.runtime().kind(),
                node.runtime().version(),
                node.runtime().connected(),
                node.reportedInflight(),
                node.capacity(),
                node.tokenHash(),
                utc(node.registeredAt()),
                utc(node.statusChangedAt()),
                node.connect().wireName());
    }

    private Node mapRow(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime heartbeat = rs.getObject("last_heartbeat", OffsetDateTime.class);
        return new Node(
                rs.getString("id"),
                rs.getString("name"),
                Objects.requireNonNullElse(rs.getString("endpoint"), ""),
                this.json.readValue(rs.getString("capabilities"), Capabilities.class),
                NodeStatus.fromWire(rs.getString("status")),
                (heartbeat != null) ? heartbeat.toInstant() : null,
                new RuntimeInfo(
                        rs.getString("runtime_kind"),
                        rs.getString("runtime_version"),
                        rs.getBoolean("runtime_connected")),
                rs.getInt("inflight"),
                rs.getInt("capacity"),
                rs.getString("token_hash"),
                rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                rs.getObject("status_changed_at", OffsetDateTime.class).toInstant(),
                ConnectMode.fromWire(rs.getString("connect_mode")));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable OffsetDateTime utcOrNull(@Nullable Instant instant) {
        return (instant != null) ? utc(instant) : null;
    }
}
