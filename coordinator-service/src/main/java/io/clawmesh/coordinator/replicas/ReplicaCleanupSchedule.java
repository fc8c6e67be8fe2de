package io.clawmesh.coordinator.replicas;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Once a minute the scheduler leader deletes the rows of replicas gone for {@code mesh.replicas.forget-after}
 * ({@link ReplicaRegistry#forgetDead()}), so {@code coordinator_replicas} holds the replicas of the last hour, not
 * every pod that ever ran.
 */
@Component
class ReplicaCleanupSchedule {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaCleanupSchedule.class);

    private final SchedulerLeadership leadership;

    private final ReplicaRegistry registry;

    ReplicaCleanupSchedule(SchedulerLeadership leadership, ReplicaRegistry registry) {
        this.leadership = leadership;
        this.registry = registry;
    }

    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void forgetDeadReplicas() {
        this.leadership.runIfLeader("replica-cleanup", () -> {
            try {
                this.registry.forgetDead();
            } catch (DataAccessException ex) {
                logger.warn("Cannot delete the rows of long-dead replicas: {}", ex.getMessage());
            }
        });
    }
}
