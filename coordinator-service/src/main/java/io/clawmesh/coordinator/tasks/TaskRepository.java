package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The task table. Every status change is one conditional {@code UPDATE … WHERE id = ? AND status = ?} that reports
 * whether it won, so a dispatch, a cancel, a timeout and a finishing run can race and exactly one of them wins.
 */
@Repository
public class TaskRepository {

    private static final String COLUMNS = "seq, id, status, priority, source, session_key, target, match_expr,"
            + " timeout_ms, idempotency_key, request_hash, node_id, node_name, attempts, created_at, started_at,"
            + " finished_at, error, owner";

    /** Everything: for reading one task. */
    private static final String SELECT_FULL = "SELECT " + COLUMNS + ", content, response FROM tasks";

    /** Without the two large texts: for lists and recovery. */
    private static final String SELECT_LIGHT = "SELECT " + COLUMNS + " FROM tasks";

    /** Errors are kept to the column's size. */
    static final int MAX_ERROR_CHARS = 2000;

    private static final String UNFINISHED = "status IN ('queued', 'assigned', 'running')";

    /**
     * A task that no live replica holds: written before V8, or its replica is neither this one nor alive (its row
     * older than the cut-off or gone).
     */
    private static final String ORPHANED = "(replica IS NULL OR (replica <> ? AND replica NOT IN"
            + " (SELECT id FROM coordinator_replicas WHERE last_seen >= ?)))";

    private final JdbcClient jdbc;

    private final String replica;

    /** A task's insert and its status changes share commits with the writes that arrive with them. */
    private final TaskWriteBatcher writes;

    /**
     * @param replica this coordinator's replica id, written into the tasks it submits
     */
    @Autowired
    public TaskRepository(JdbcClient jdbc, ReplicaIdentity replica, TaskWriteBatcher writes) {
        this(jdbc, replica.id(), writes);
    }

    TaskRepository(JdbcClient jdbc, String replica) {
        this(jdbc, replica, new TaskWriteBatcher(null));
    }

    TaskRepository(JdbcClient jdbc, String replica, TaskWriteBatcher writes) {
        this.jdbc = jdbc;
        this.replica = replica;
        this.writes = writes;
    }

    /**
     * Inserts a new task.
     *
     * @return the task with its row number
     * @throws org.springframework.dao.DuplicateKeyException when its idempotency key is taken
     */
    public Task insert(Task task) {
        return this.writes.write(() -> insertNow(task));
    }

    private Task insertNow(Task task) {
        KeyHolder keys = new GeneratedKeyHolder();
        this.jdbc
                .sql("INSERT INTO tasks (id, status, priority, content, source, session_key, target, match_expr,"
                        + " timeout_ms, idempotency_key, request_hash, attempts, created_at, owner, replica)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")
                .params(
                        task.id(),
                        task.status().wireName(),
                        task.priority(),
                        task.content(),
                        task.source(),
                        task.sessionKey(),
                        task.target(),
                        task.match(),
                        task.timeout().toMillis(),
                        task.idempotencyKey(),
                        task.requestHash(),
                        time(task.createdAt()),
                        task.owner(),
                        this.replica)
                .update(keys, "seq");
        Number seq = keys.getKey();
        return new Task(
                (seq != null) ? seq.longValue() : 0,
                task.id(),
                task.status(),
                task.priority(),
                task.content(),
                task.source(),
                task.sessionKey(),
                task.target(),
                task.match(),
                task.timeout(),
                task.idempotencyKey(),
                task.requestHash(),
                null,
                null,
                0,
                task.createdAt(),
                null,
                null,
                null,
                null,
                task.owner());
    }

    public Optional<Task> findById(String id) {
        return this.jdbc
                .sql(SELECT_FULL + " WHERE id = ?")
                .param(id)
                .query(TaskRepository::mapFull)
                .optional();
    }

    public Optional<Task> findByIdempotencyKey(String key) {
        return this.jdbc
                .sql(SELECT_FULL + " WHERE idempotency_key = ?")
                .param(key)
                .query(TaskRepository::mapFull)
                .optional();
    }

    /** Only the content of a task, for sending it. */
    public Optional<String> findContent(String id) {
        return this.jdbc
                .sql("SELECT content FROM tasks WHERE id = ?")
                .param(id)
                .query(String.class)
                .optional();
    }

    /**
     * A page of tasks, newest first, without content or response.
     *
     * @param node a node id or name, or {@code null} for all
     * @param beforeSeq only tasks inserted before this row number, or {@code null} from the newest
     */
    public List<Task> page(@Nullable TaskStatus status, @Nullable String node, @Nullable Long beforeSeq, int limit) {
        return page(status, node, null, beforeSeq, limit);
    }

    /** One page of the tasks of {@code owner} (a client key id; {@code null} for every task), newest first. */
    public List<Task> page(
            @Nullable TaskStatus status,
            @Nullable String node,
            @Nullable String owner,
            @Nullable Long beforeSeq,
            int limit) {
        StringBuilder sql = new StringBuilder(SELECT_LIGHT).append(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (owner != null) {
            sql.append(" AND owner = ?");
            params.add(owner);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status.wireName());
        }
        if (node != null) {
            sql.append(" AND (node_id = ? OR node_name = ?)");
            params.add(node);
            params.add(node);
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < ?");
            params.add(beforeSeq);
        }
        sql.append(" ORDER BY seq DESC FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        return this.jdbc
                .sql(sql.toString())
                .params(params)
                .query(TaskRepository::mapLight)
                .list();
    }

    /** Every task in one of {@code statuses}, oldest first, without content or response (recovery at start). */
    public List<Task> findByStatus(Set<TaskStatus> statuses) {
        String in =
                statuses.stream().map((status) -> "'" + status.wireName() + "'").collect(Collectors.joining(", "));
        return this.jdbc
                .sql(SELECT_LIGHT + " WHERE status IN (" + in + ") ORDER BY seq")
                .query(TaskRepository::mapLight)
                .list();
    }

    /** The unfinished tasks this replica holds (its own from before a restart), oldest first, without their texts. */
    public List<Task> findUnfinishedHeldHere() {
        return this.jdbc
                .sql(SELECT_LIGHT + " WHERE " + UNFINISHED + " AND replica = ? ORDER BY seq")
                .param(this.replica)
                .query(TaskRepository::mapLight)
                .list();
    }

    /**
     * The unfinished tasks no live replica holds, oldest first, without their texts.
     *
     * @param aliveSince replicas seen since then are alive
     */
    public List<Task> findOrphaned(Instant aliveSince, int limit) {
        return this.jdbc
                .sql(SELECT_LIGHT + " WHERE " + UNFINISHED + " AND " + ORPHANED + " ORDER BY seq FETCH FIRST "
                        + Math.max(1, limit) + " ROWS ONLY")
                .params(this.replica, time(aliveSince))
                .query(TaskRepository::mapLight)
                .list();
    }

    /**
     * Makes an orphaned task this replica's. Conditional like every transition: when replicas race for one task,
     * the database lets exactly one of them have it.
     *
     * @return whether this replica got it
     */
    public boolean adopt(String id, Instant aliveSince) {
        return this.jdbc
                        .sql("UPDATE tasks SET replica = ? WHERE id = ? AND " + UNFINISHED + " AND " + ORPHANED)
                        .params(this.replica, id, this.replica, time(aliveSince))
                        .update()
                == 1;
    }

    /** {@code queued → assigned} to a node, counting the attempt. */
    public boolean assign(String id, String nodeId, String nodeName) {
        return this.writes.write(() -> this.jdbc
                        .sql("UPDATE tasks SET status = 'assigned', node_id = ?, node_name = ?, attempts = attempts + 1"
                                + " WHERE id = ? AND status = 'queued'")
                        .params(nodeId, nodeName, id)
                        .update()
                == 1);
    }

    /** {@code assigned → running}: the node accepted the task. */
    public boolean start(String id, Instant startedAt) {
        return this.writes.write(() -> this.jdbc
                        .sql("UPDATE tasks SET status = 'running', started_at = ? WHERE id = ? AND status = 'assigned'")
                        .params(time(startedAt), id)
                        .update()
                == 1);
    }

    /** {@code assigned → queued}: the node did not take it; the reason is kept as the task's error until it ends. */
    public boolean requeue(String id, String reason) {
        return this.writes.write(() -> this.jdbc
                        .sql("UPDATE tasks SET status = 'queued', node_id = NULL, node_name = NULL, error = ?"
                                + " WHERE id = ? AND status = 'assigned'")
                        .params(truncate(reason, MAX_ERROR_CHARS), id)
                        .update()
                == 1);
    }

    /**
     * Ends a task if it is still in {@code from}.
     *
     * @return whether this call ended it
     */
    public boolean finish(
            String id,
            TaskStatus from,
            TaskStatus to,
            @Nullable String response,
            @Nullable String error,
            Instant finishedAt) {
        return this.writes.write(() -> this.jdbc
                        .sql("UPDATE tasks SET status = ?, response = ?, error = ?, finished_at = ?"
                                + " WHERE id = ? AND status = ?")
                        .params(
                                to.wireName(),
                                response,
                                truncate(error, MAX_ERROR_CHARS),
                                time(finishedAt),
                                id,
                                from.wireName())
                        .update()
                == 1);
    }

    /** How many tasks are in each status; statuses without tasks are absent. */
    public Map<TaskStatus, Long> countByStatus() {
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        this.jdbc.sql("SELECT status, COUNT(*) AS n FROM tasks GROUP BY status").query((rs) -> {
            counts.put(TaskStatus.fromWire(rs.getString("status")), rs.getLong("n"));
        });
        return counts;
    }

    /** Deletes up to {@code batch} tasks that finished before {@code cutoff}; answers how many. */
    public int deleteFinishedBefore(Instant cutoff, int batch) {
        return this.jdbc
                .sql("DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks WHERE finished_at < ? ORDER BY seq"
                        + " FETCH FIRST " + Math.max(1, batch) + " ROWS ONLY)")
                .param(time(cutoff))
                .update();
    }

    private static Task mapFull(ResultSet rs, int row) throws SQLException {
        return map(rs, rs.getString("content"), rs.getString("response"));
    }

    private static Task mapLight(ResultSet rs, int row) throws SQLException {
        return map(rs, "", null);
    }

    private static Task map(ResultSet rs, String content, @Nullable String response) throws SQLException {
        return new Task(
                rs.getLong("seq"),
                rs.getString("id"),
                TaskStatus.fromWire(rs.getString("status")),
                rs.getInt("priority"),
                content,
                rs.getString("source"),
                rs.getString("session_key"),
                rs.getString("target"),
                rs.getString("match_expr"),
                Duration.ofMillis(rs.getLong("timeout_ms")),
                rs.getString("idempotency_key"),
                rs.getString("request_hash"),
                rs.getString("node_id"),
                rs.getString("node_name"),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instantOrNull(rs, "started_at"),
                instantOrNull(rs, "finished_at"),
                response,
                rs.getString("error"),
                rs.getString("owner"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return (value == null || value.length() <= max) ? value : value.substring(0, max);
    }
}
