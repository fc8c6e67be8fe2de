package io.clawmesh.coordinator.tasks;

/** An {@code Idempotency-Key} came again with another request body than the task it names. */
public class IdempotencyConflictException extends RuntimeException {

    private final String taskId;

    public IdempotencyConflictException(String taskId) {
        super("this Idempotency-Key was used for task " + taskId + " with another body; use a new key for a new task,"
                + " or send the same body to get that task back");
        this.taskId = taskId;
    }

    public String taskId() {
        return this.taskId;
    }
}
