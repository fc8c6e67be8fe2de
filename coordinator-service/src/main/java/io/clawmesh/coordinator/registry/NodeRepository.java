package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
            + " runtime_version, runtime_connected, inflight, capacity, token_hash, registered_at, status_changed_at";

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

    public void insert(Node node, Instant now) {
        this.jdbc
                .sql("INSERT INTO nodes (" + COLUMNS
                        + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(values(node, now))
                .update();
    }

    /** Rewrites every column of an existing node (takeover, heartbeat with changes, status transitions). */
    public boolean update(Node node, Instant now) {
        return this.jdbc
                        .sql(
                                "UPDATE nodes SET name = ?, endpoint = ?, capabilities = ?, status = ?, last_heartbeat = ?,"
                                        + " runtime_kind = ?, runtime_version = ?, runtime_connected = ?, inflight = ?, capacity = ?,"
                                        + " token_hash = ?, registered_at = ?, status_changed_at = ?, updated_at = ? WHERE id = ?")
                        .params(updateValues(node, now))
                        .update()
                == 1;
    }

    public boolean delete(String id) {
        return this.jdbc.sql("DELETE FROM nodes WHERE id = ?").param(id).update() == 1;
    }

    public List<String> findAllIds() {
        return this.jdbc.sql("SELECT id FROM nodes").query(String.class).list();
    }

    private List<@Nullable Object> values(Node node, Instant now) {
        return java.util.Arrays.asList(
                node.id(),
                node.name(),
                node.endpoint(),
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
                utc(now));
    }

    private List<@Nullable Object> updateValues(Node node, Instant now) {
        List<@Nullable Object> values =
                new java.util.ArrayList<>(values(node, now).subList(1, 15));
        values.add(node.id());
        return values;
    }

    private Node mapRow(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime heartbeat = rs.getObject("last_heartbeat", OffsetDateTime.class);
        return new Node(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("endpoint"),
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
                rs.getObject("status_changed_at", OffsetDateTime.class).toInstant());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable OffsetDateTime utcOrNull(@Nullable Instant instant) {
        return (instant != null) ? utc(instant) : null;
    }
}
