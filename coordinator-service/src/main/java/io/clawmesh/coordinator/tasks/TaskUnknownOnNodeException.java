package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.forwarding.ForwardAttemptException;

/**
 * A node answered 404 to a re-attach: it does not know the task (its agent restarted, which keeps tasks in memory
 * only, or the task is past the agent's retention). Final: asking again cannot bring the run back.
 */
public class TaskUnknownOnNodeException extends ForwardAttemptException {

    public TaskUnknownOnNodeException(String message) {
        super(Kind.NOT_ACCEPTED, message);
    }
}
