package io.clawmesh.coordinator.tasks;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Serves a task's event stream to a client: from the replica that follows the task when another one does (ADR 0013),
 * else from this one ({@link TaskEventWriter}). One place for {@code TaskController} and the task fast path
 * ({@code TaskRequestFilter}, ADR 0017), so both answer alike.
 */
@Component
public class TaskEventStreams {

    private final TaskEventWriter writer;

    private final TaskStreamRelay relay;

    private final TaskQueue queue;

    private final TaskRunner runner;

    public TaskEventStreams(TaskEventWriter writer, TaskStreamRelay relay, TaskQueue queue, TaskRunner runner) {
        this.writer = writer;
        this.relay = relay;
        this.queue = queue;
        this.runner = runner;
    }

    /**
     * Streams a task's events to the end, resuming after {@code lastEventId}.
     *
     * @throws TaskNotFoundException before anything is written
     * @throws io.clawmesh.common.node.InvalidInputException for a {@code Last-Event-ID} this stream never gives
     */
    public void serve(String taskId, @Nullable String lastEventId, HttpServletResponse response) throws IOException {
        TaskBoard.requireTaskId(taskId);
        TaskEventPosition.parse(lastEventId); // 400 for a bad position here, before any relay
        if (!followedHere(taskId)) {
            // the live reply text is on the replica that follows the task (ADR 0013)
            String follower = this.relay.follower(taskId).orElse(null);
            if (follower != null && this.relay.relay(follower, taskId, lastEventId, response)) {
                return;
            }
        }
        this.writer.write(taskId, lastEventId, response);
    }

    /**
     * Whether this replica queues or runs the task: then no other follows it, and the database need not be asked (a
     * query per stream, most of them for tasks submitted here a moment ago).
     */
    private boolean followedHere(String taskId) {
        return this.queue.contains(taskId) || this.runner.nodeOf(taskId).isPresent();
    }
}
