package io.clawmesh.coordinator.audit;

import io.clawmesh.coordinator.replicas.SchedulerLeadership;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link AuditRetentionTask} every {@code mesh.audit.retention-interval} on the scheduler leader only. */
@Component
class AuditRetentionSchedule {

    private final SchedulerLeadership leadership;

    private final AuditRetentionTask retention;

    AuditRetentionSchedule(SchedulerLeadership leadership, AuditRetentionTask retention) {
        this.leadership = leadership;
        this.retention = retention;
    }

    @Scheduled(
            initialDelayString = "${mesh.audit.retention-interval:1h}",
            fixedDelayString = "${mesh.audit.retention-interval:1h}")
    void deleteOldEntries() {
        this.leadership.runIfLeader("audit-retention", this.retention::sweep);
    }
}
