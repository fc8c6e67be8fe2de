package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer to {@code POST /api/v1/tasks}: 202 for a new task, 200 when an {@code Idempotency-Key} named an existing one.
 *
 * @param links where to follow the task: {@code self} and {@code events}
 */
public record TaskAccepted(@JsonProperty("task_id") String taskId, TaskStatus status, Links links) {

    /** Paths of the task and of its event stream. */
    public record Links(String self, String events) {}
}
