package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.events.TaskFinished;
import io.clawmesh.coordinator.events.TaskStarted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The task state machine: each transition is one compare-and-set write ({@link TaskRepository}), and only the winner
 * of a race tells the task's followers ({@link TaskEventHub}), the mesh ({@code task.*} events) and the deadline
 * timers. Callers learn whether they won and act on it; a loser does nothing more.
 */
@Component
public class TaskTransitions {

    private static final Logger logger = LoggerFactory.getLogger(TaskTransitions.class);

    private final TaskRepository repository;

    private final TaskEventHub hub;

    private final TaskDeadlines deadlines;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    public TaskTransitions(
            TaskRepository repository,
            TaskEventHub hub,
            TaskDeadlines deadlines,
            ApplicationEventPublisher events,
            Clock clock) {
        this.repository = repository;
        this.hub = hub;
        this.deadlines = deadlines;
        this.events = events;
        this.clock = clock;
    }

    /** {@code queued → assigned}: written before the task is sent to the node. */
    public boolean assign(String taskId, String nodeId, String nodeName, int attempt) {
        if (!this.repository.assign(taskId, nodeId, nodeName)) {
            return false;
        }
        this.hub.publish(taskId, new TaskUpdate.Assigned(nodeId, nodeName, attempt));
        return true;
    }

    /** {@code assigned → running}: the node accepted the task. */
    public boolean start(String taskId, String nodeId, String nodeName, int attempt, Instant createdAt) {
        Instant now = this.clock.instant();
        if (!this.repository.start(taskId, now)) {
            return false;
        }
        this.hub.publish(taskId, new TaskUpdate.Started(nodeId, nodeName));
        this.events.publishEvent(
                new TaskStarted(taskId, nodeId, nodeName, attempt, nonNegative(Duration.between(createdAt, now)), now));
        return true;
    }

    /** {@code assigned → queued}: the node did not take it. The caller puts it back into the queue. */
    public boolean requeue(String taskId, String reason) {
        return this.repository.requeue(taskId, reason);
    }

    /**
     * Ends a task that is still in {@code from}.
     *
     * @param startedAt when it started running, for the run-duration metric; {@code null} if it never ran
     * @return whether this call ended it
     */
    public boolean finish(
            String taskId,
            TaskStatus from,
            TaskStatus to,
            @Nullable String response,
            @Nullable String error,
            @Nullable String nodeId,
            @Nullable String nodeName,
            int attempts,
            @Nullable Instant startedAt) {
        Instant now = this.clock.instant();
        if (!this.repository.finish(taskId, from, to, response, error, now)) {
            return false;
        }
        this.deadlines.cancel(taskId);
        String shownError = (error != null && error.length() > TaskRepository.MAX_ERROR_CHARS)
                ? error.substring(0, TaskRepository.MAX_ERROR_CHARS)
                : error;
        this.hub.publish(taskId, new TaskUpdate.Ended(to, response, shownError));
        this.events.publishEvent(new TaskFinished(
                taskId,
                to,
                nodeId,
                nodeName,
                attempts,
                (startedAt != null) ? nonNegative(Duration.between(startedAt, now)) : null,
                shownError,
                now));
        if (to == TaskStatus.SUCCEEDED) {
            logger.debug("Task {} succeeded on {}", taskId, nodeName);
        } else {
            logger.info(
                    "Task {} {} {}: {}",
                    taskId,
                    to.wireName(),
                    (nodeName != null) ? "on " + nodeName : "before it reached a node",
                    shownError);
        }
        return true;
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
