package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task as {@code GET /api/v1/tasks/{id}} shows it.
 *
 * @param attempts how many nodes it was sent to (failover before acceptance adds attempts)
 * @param response the runtime's reply, once {@code succeeded}
 * @param error why it failed, timed out or was canceled
 */
public record TaskView(
        @JsonProperty("task_id") String taskId,
        TaskStatus status,
        @JsonProperty("node_id") @Nullable String nodeId,
        @JsonProperty("node_name") @Nullable String nodeName,
        int attempts,
        int priority,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") @Nullable Instant startedAt,
        @JsonProperty("finished_at") @Nullable Instant finishedAt,
        @Nullable String response,
        @Nullable String error) {}
