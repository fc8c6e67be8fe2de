package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;
import org.jspecify.annotations.Nullable;

/** What happens to a running task, as its run tells the task's live subscribers. */
sealed interface TaskUpdate {

    /** Sent to a node: {@code assigned}. */
    record Assigned(String nodeId, String nodeName, int attempt) implements TaskUpdate {}

    /** The node accepted it: {@code started}. */
    record Started(String nodeId, String nodeName) implements TaskUpdate {}

    /**
     * The next piece of the reply.
     *
     * @param end the reply's length in UTF-16 chars after this piece
     */
    record Delta(long end, String text) implements TaskUpdate {}

    /** The task ended: its final status, and its response or error. */
    record Ended(
            TaskStatus status,
            @Nullable String response,
            @Nullable String error) implements TaskUpdate {}

    /** The coordinator is shutting down: followers stop (clients resume elsewhere or later). */
    record Closed() implements TaskUpdate {}
}
