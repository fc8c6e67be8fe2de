package io.clawmesh.coordinator.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Waits for a task on behalf of a front door (the MCP server): hands on the reply text as it streams, and answers the
 * task's row when it ends or when the caller's wait runs out, whichever comes first. The row, not the live stream,
 * decides: a task that ends where no update reaches this coordinator is still seen within {@link #RECHECK}.
 */
@Component
public class TaskFollower {

    /** How often the row is read again while no update comes. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final TaskBoard board;

    private final TaskEventHub hub;

    private final Clock clock;

    public TaskFollower(TaskBoard board, TaskEventHub hub, Clock clock) {
        this.board = board;
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * Follows a task for at most {@code maxWait}.
     *
     * @param text receives each piece of the reply in order (first, in one piece, what was produced before)
     * @return the task as its row is at the end: finished, or still queued or running when the wait ran out
     * @throws TaskNotFoundException when no such task exists
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public Task await(String taskId, Duration maxWait, Consumer<String> text) throws InterruptedException {
        Instant until = this.clock.instant().plus(maxWait);
        // subscribe before reading the row, so that nothing between the two is missed
        try (TaskEventHub.Subscription subscription = this.hub.subscribe(taskId)) {
            Task task = this.board.find(taskId);
            if (task.status().finished()) {
                return task;
            }
            if (!subscription.text().isEmpty()) {
                text.accept(subscription.text());
            }
            while (true) {
                Duration left = Duration.between(this.clock.instant(), until);
                if (left.isNegative() || left.isZero()) {
                    return this.board.find(taskId);
                }
                TaskUpdate update = subscription.next((left.compareTo(RECHECK) < 0) ? left : RECHECK);
                if (update instanceof TaskUpdate.Delta delta) {
                    text.accept(delta.text());
                } else if (update instanceof TaskUpdate.Ended || update instanceof TaskUpdate.Closed) {
                    return this.board.find(taskId);
                } else if (update == null && this.board.find(taskId).status().finished()) {
                    return this.board.find(taskId);
                }
            }
        }
    }
}
