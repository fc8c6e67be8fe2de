package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;

/** A finished task was asked to change (canceled). */
public class TaskFinishedException extends RuntimeException {

    public TaskFinishedException(String id, TaskStatus status) {
        super("task " + id + " has already finished (" + status.wireName() + "); there is nothing to cancel");
    }
}
