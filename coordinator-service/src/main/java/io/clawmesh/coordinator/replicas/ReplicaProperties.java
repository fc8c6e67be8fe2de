package io.clawmesh.coordinator.replicas;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How coordinators sharing one database find each other ({@code mesh.replicas.*}).
 *
 * @param id this replica's name in the database; empty to keep one in {@code <data-dir>/replica-id}, so that a
 *     restarted coordinator picks up its own tasks at once
 * @param heartbeatInterval how often a replica renews its row and the scheduler leader renews its lease
 * @param deadAfter a replica whose row is older than this is dead: the others adopt its tasks
 * @param leaderLease how long the scheduler leader's lease lasts without renewal: after a leader dies, the sweeps,
 *     probes and retention pause at most this long before another replica takes them over
 * @param forgetAfter the row of a replica not seen for this long is deleted by the scheduler leader, so the table
 *     does not grow with every pod that ever ran; a replica that comes back afterwards writes its row anew
 */
@ConfigurationProperties("mesh.replicas")
public record ReplicaProperties(
        @Nullable String id,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue("10s") Duration deadAfter,
        @DefaultValue("10s") Duration leaderLease,
        @DefaultValue("1h") Duration forgetAfter) {

    public ReplicaProperties {
        if (forgetAfter.compareTo(deadAfter) < 0) {
            throw new IllegalArgumentException("mesh.replicas.forget-after (" + forgetAfter
                    + ") must be at least mesh.replicas.dead-after (" + deadAfter + ")");
        }
        if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("mesh.replicas.dead-after (" + deadAfter
                    + ") must be at least twice mesh.replicas.heartbeat-interval (" + heartbeatInterval + ")");
        }
        if (leaderLease.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("mesh.replicas.leader-lease (" + leaderLease
                    + ") must be at least twice mesh.replicas.heartbeat-interval (" + heartbeatInterval + ")");
        }
    }
}
