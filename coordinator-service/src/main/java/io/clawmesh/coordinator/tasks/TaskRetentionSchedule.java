package io.clawmesh.coordinator.tasks;

import io.clawmesh.coordinator.replicas.SchedulerLeadership;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link TaskRetentionTask} every {@code mesh.tasks.retention-interval} on the scheduler leader only. */
@Component
class TaskRetentionSchedule {

    private final SchedulerLeadership leadership;

    private final TaskRetentionTask retention;

    TaskRetentionSchedule(SchedulerLeadership leadership, TaskRetentionTask retention) {
        this.leadership = leadership;
        this.retention = retention;
    }

    @Scheduled(
            initialDelayString = "${mesh.tasks.retention-interval:1h}",
            fixedDelayString = "${mesh.tasks.retention-interval:1h}")
    void deleteOldTasks() {
        this.leadership.runIfLeader("task-retention", this.retention::sweep);
    }
}
