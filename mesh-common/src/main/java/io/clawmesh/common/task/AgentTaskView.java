package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A task as the agent knows it ({@code GET /api/v1/tasks/{id}} on the agent), kept for a retention window after it
 * ends so a restarted coordinator can re-attach to it or collect its result.
 *
 * @param status {@code running} or one of the final statuses
 * @param text what the runtime has produced so far (the whole response once {@code succeeded})
 */
public record AgentTaskView(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("node_id") String nodeId,
        TaskStatus status,
        String text,
        @Nullable String error) {}
