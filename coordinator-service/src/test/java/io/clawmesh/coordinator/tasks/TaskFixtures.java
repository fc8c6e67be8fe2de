package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Tasks and settings for the task tests. */
final class TaskFixtures {

    private TaskFixtures() {}

    /** A task id of the issued shape, numbered. */
    static String id(int number) {
        return String.format("task-%020d", number);
    }

    static Task task(String id, @Nullable String idempotencyKey, Instant createdAt) {
        return new Task(
                0,
                id,
                TaskStatus.QUEUED,
                5,
                "do it",
                "api",
                null,
                null,
                null,
                Duration.ofMinutes(30),
                idempotencyKey,
                (idempotencyKey != null) ? "hash" : null,
                null,
                null,
                0,
                createdAt,
                null,
                null,
                null,
                null,
                null);
    }

    static QueuedTask queued(String id, int priority, long seq) {
        return new QueuedTask(
                id, priority, seq, null, null, null, "api", "x", Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 0, 0);
    }

    static TaskProperties properties(int retentionBatch) {
        return new TaskProperties(
                Duration.ofMinutes(30),
                Duration.ofHours(24),
                10_000,
                Duration.ofSeconds(5),
                Duration.ofDays(7),
                retentionBatch,
                Duration.ofHours(1),
                5,
                Duration.ofSeconds(2),
                3,
                Duration.ofSeconds(15),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10),
                TaskProperties.GroupCommit.AUTO);
    }
}
