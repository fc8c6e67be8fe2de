package io.clawmesh.coordinator.audit;

import io.clawmesh.coordinator.BatchDeletion;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Deletes audit entries older than {@code mesh.audit.retention}, in batches, so that no delete locks the table long. */
@Component
public class AuditRetentionTask {

    private static final Logger logger = LoggerFactory.getLogger(AuditRetentionTask.class);

    private final AuditRepository repository;

    private final AuditProperties properties;

    private final Clock clock;

    public AuditRetentionTask(AuditRepository repository, AuditProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Deletes every entry past its retention.
     *
     * @return how many were deleted
     */
    public int sweep() {
        Instant cutoff = this.clock.instant().minus(this.properties.retention());
        int total = BatchDeletion.untilShort(
                this.properties.retentionBatch(), (batch) -> this.repository.deleteBefore(cutoff, batch));
        if (total > 0) {
            logger.info("Deleted {} audit entries recorded before {} (mesh.audit.retention)", total, cutoff);
        }
        return total;
    }
}
