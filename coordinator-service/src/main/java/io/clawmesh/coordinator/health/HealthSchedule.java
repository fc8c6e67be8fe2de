package io.clawmesh.coordinator.health;

import io.clawmesh.coordinator.replicas.SchedulerLeadership;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * When leases are swept and nodes probed: on the scheduler leader only, so several replicas on one database do not
 * sweep, evict and probe the same nodes each (ADR 0013). What a sweep and a probe do stays in {@link LeaseSweeper} and
 * {@link NodeProber}.
 */
@Component
class HealthSchedule {

    private final SchedulerLeadership leadership;

    private final LeaseSweeper sweeper;

    private final NodeProber prober;

    HealthSchedule(SchedulerLeadership leadership, LeaseSweeper sweeper, NodeProber prober) {
        this.leadership = leadership;
        this.sweeper = sweeper;
        this.prober = prober;
    }

    @Scheduled(
            fixedDelayString = "${mesh.health.sweep-interval:5s}",
            initialDelayString = "${mesh.health.sweep-interval:5s}")
    void sweepLeases() {
        this.leadership.runIfLeader("lease-sweep", this.sweeper::sweep);
    }

    @Scheduled(fixedDelayString = "${mesh.health.probe-tick:1s}", initialDelayString = "${mesh.health.probe-tick:1s}")
    void probeNodes() {
        this.leadership.runIfLeader("probe", this.prober::probeDue);
    }
}
