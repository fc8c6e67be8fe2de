package io.clawmesh.agent.inbound;

/** Thrown when a task id is not known here: never started on this agent, or its retention window has passed. */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(String taskId) {
        super("No task '" + taskId + "' on this node: it never started here, or it ended longer ago than "
                + "mesh.agent.task-retention");
    }
}
