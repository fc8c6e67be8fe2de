package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.BatchDeletion;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Deletes finished tasks older than {@code mesh.tasks.retention}, in batches, so that no delete locks the table long. */
@Component
public class TaskRetentionTask {

    private static final Logger logger = LoggerFactory.getLogger(TaskRetentionTask.class);

    private final TaskRepository repository;

    private final TaskProperties properties;

    private final Clock clock;

    public TaskRetentionTask(TaskRepository repository, TaskProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Deletes every finished task past its retention.
     *
     * @return how many were deleted
     */
    public int sweep() {
        Instant cutoff = this.clock.instant().minus(this.properties.retention());
        int total = BatchDeletion.untilShort(
                this.properties.retentionBatch(), (batch) -> this.repository.deleteFinishedBefore(cutoff, batch));
        if (total > 0) {
            logger.info("Deleted {} tasks that finished before {} (mesh.tasks.retention)", total, cutoff);
        }
        return total;
    }
}
