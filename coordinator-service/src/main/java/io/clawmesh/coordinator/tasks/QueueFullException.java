package io.clawmesh.coordinator.tasks;

import java.time.Duration;

/** The task queue holds {@code mesh.tasks.max-queued} tasks: a submission is refused until some leave it. */
public class QueueFullException extends RuntimeException {

    private final Duration retryAfter;

    public QueueFullException(int maxQueued, Duration retryAfter) {
        super(maxQueued + " tasks are waiting, the most allowed (mesh.tasks.max-queued); try again in "
                + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return this.retryAfter;
    }
}
