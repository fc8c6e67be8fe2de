package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task as its row holds it: an immutable snapshot. Status changes are compare-and-set updates in
 * {@link TaskRepository}; this record never changes.
 *
 * @param seq the row's insertion number: arrival order and the list cursor
 * @param timeout how long the task may take from {@code createdAt}, queueing included
 * @param requestHash SHA-256 of the submitted request, to tell an idempotent resubmission from a reused key
 * @param attempts how many times it was sent to a node
 * @param owner the id of the client key that submitted it; {@code null} for the operator
 */
public record Task(
        long seq,
        String id,
        TaskStatus status,
        int priority,
        String content,
        String source,
        @Nullable String sessionKey,
        @Nullable String target,
        @Nullable String match,
        Duration timeout,
        @Nullable String idempotencyKey,
        @Nullable String requestHash,
        @Nullable String nodeId,
        @Nullable String nodeName,
        int attempts,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String response,
        @Nullable String error,
        @Nullable String owner) {

    /** Whether {@code owner} may see this task: the operator ({@code null}) sees every task, a client key its own. */
    public boolean visibleTo(@Nullable String owner) {
        return owner == null || owner.equals(this.owner);
    }

    /** When the task times out, whatever its status. */
    public Instant deadline() {
        return this.createdAt.plus(this.timeout);
    }

    /** The task as the API shows it. */
    public TaskView view() {
        return new TaskView(
                this.id,
                this.status,
                this.nodeId,
                this.nodeName,
                this.attempts,
                this.priority,
                this.createdAt,
                this.startedAt,
                this.finishedAt,
                this.response,
                this.error);
    }

    /** The answer to its submission, with the links to follow it. */
    public TaskAccepted accepted() {
        String self = ApiPaths.TASKS + "/" + this.id;
        return new TaskAccepted(this.id, this.status, new TaskAccepted.Links(self, self + "/events"));
    }
}
