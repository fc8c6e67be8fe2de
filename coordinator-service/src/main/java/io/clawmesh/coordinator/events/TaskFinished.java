package io.clawmesh.coordinator.events;

import io.clawmesh.common.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task ended.
 *
 * @param status one of the final statuses
 * @param nodeId the node it ran on or was last sent to; {@code null} when it never left the queue
 * @param ran how long it ran on its node; {@code null} when it never started
 * @param error why it did not succeed
 */
public record TaskFinished(
        String taskId,
        TaskStatus status,
        @Nullable String nodeId,
        @Nullable String nodeName,
        int attempts,
        @Nullable Duration ran,
        @Nullable String error,
        Instant time)
        implements MeshEvent {}
