package io.clawmesh.coordinator.tasks;

import java.time.Instant;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * What the dispatcher needs of a waiting task: its order, where it may run, and its content when that is small
 * enough to keep in memory (else it is read from the database when the task is sent).
 *
 * @param seq arrival order (the row's insertion number)
 * @param content the content, or {@code null} to read it when sending
 * @param attempts how many times it was sent to a node so far
 * @param refusals how many of those sends nodes refused for another reason than being full (this coordinator's
 *     count since it started)
 */
public record QueuedTask(
        String id,
        int priority,
        long seq,
        @Nullable String target,
        @Nullable String match,
        @Nullable String sessionKey,
        String source,
        @Nullable String content,
        Instant createdAt,
        Instant deadline,
        int attempts,
        int refusals) {

    /** Content up to this many characters stays in memory with its queue entry. */
    static final int INLINE_CONTENT_CHARS = 4096;

    /** Higher priority first, then earlier arrival. */
    static final Comparator<QueuedTask> ORDER = Comparator.comparingInt((QueuedTask task) -> -task.priority())
            .thenComparingLong(QueuedTask::seq)
            .thenComparing(QueuedTask::id);

    /** The queue entry of a task row; keeps its content only when it is small. */
    static QueuedTask of(Task task) {
        String content =
                (!task.content().isEmpty() && task.content().length() <= INLINE_CONTENT_CHARS) ? task.content() : null;
        return new QueuedTask(
                task.id(),
                task.priority(),
                task.seq(),
                task.target(),
                task.match(),
                task.sessionKey(),
                task.source(),
                content,
                task.createdAt(),
                task.deadline(),
                task.attempts(),
                0);
    }

    /** The same task back in the queue after a node did not take it. */
    QueuedTask afterAttempt(boolean refused) {
        return new QueuedTask(
                this.id,
                this.priority,
                this.seq,
                this.target,
                this.match,
                this.sessionKey,
                this.source,
                this.content,
                this.createdAt,
                this.deadline,
                this.attempts + 1,
                this.refusals + (refused ? 1 : 0));
    }

    /** The key of the candidate nodes: tasks with the same target and match share their candidates. */
    String placementKey() {
        return ((this.target != null) ? this.target : "") + '\n' + ((this.match != null) ? this.match : "");
    }
}
