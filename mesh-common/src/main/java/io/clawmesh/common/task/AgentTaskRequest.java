package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Body of the agent's {@code POST /api/v1/tasks}, sent by the coordinator. The task id is the runtime's idempotency key
 * and the agent's key for the task: posting the same id again never starts a second run, it attaches to the first.
 *
 * @param timeoutMs how long the run may take from now; the agent aborts it on the runtime after that and ends it
 *     {@code timed_out}
 */
public record AgentTaskRequest(
        @JsonProperty("task_id") @Nullable String taskId,
        @Nullable String content,
        @Nullable String source,
        @JsonProperty("session_key") @Nullable String sessionKey,
        @JsonProperty("created_at") @Nullable Instant createdAt,
        @JsonProperty("timeout_ms") @Nullable Long timeoutMs) {}
