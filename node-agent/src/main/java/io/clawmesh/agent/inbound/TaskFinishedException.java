package io.clawmesh.agent.inbound;

import io.clawmesh.common.task.TaskStatus;

/** Thrown when a task is asked to stop after it has already ended. */
public class TaskFinishedException extends RuntimeException {

    public TaskFinishedException(String taskId, TaskStatus status) {
        super("Task '" + taskId + "' has already ended (" + status.wireName() + "); there is nothing to cancel");
    }
}
