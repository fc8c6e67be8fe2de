package io.clawmesh.coordinator.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Health settings ({@code mesh.health.*}).
 *
 * @param heartbeatTimeout a node with no heartbeat for this long is offline
 * @param sweepInterval how often leases are checked
 * @param probeInterval how often each live node's {@code /healthz} is probed
 * @param probeTimeout how long one probe may take
 * @param probeFailureThreshold consecutive failed probes that mark a node offline
 * @param offlineProbeInterval how often an offline node is probed at first; doubling with each failure
 * @param maxProbeBackoff offline nodes are probed less and less often, down to once per this interval
 * @param probeConcurrency probes running at once
 * @param deregisterAfter a node offline for this long is removed
 * @param massStaleRatio when more than this share of the live nodes goes stale in one sweep, the coordinator suspects
 *     its own network and marks none of them offline (self-preservation)
 * @param massStaleMinNodes self-preservation needs at least this many live nodes
 * @param maxEvictionsPerSweep at most this many long-dead nodes are removed per sweep
 * @param restartProbeInterval how soon a node loaded at start-up is probed again after a failed probe, until it
 *     answers or is offline; nodes registering later are probed at {@code probeInterval}, first probes spread over it
 */
@ConfigurationProperties("mesh.health")
public record HealthProperties(
        @DefaultValue("30s") Duration heartbeatTimeout,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue("10s") Duration probeInterval,
        @DefaultValue("3s") Duration probeTimeout,
        @DefaultValue("3") int probeFailureThreshold,
        @DefaultValue("1m") Duration offlineProbeInterval,
        @DefaultValue("5m") Duration maxProbeBackoff,
        @DefaultValue("32") int probeConcurrency,
        @DefaultValue("72h") Duration deregisterAfter,
        @DefaultValue("0.5") double massStaleRatio,
        @DefaultValue("3") int massStaleMinNodes,
        @DefaultValue("100") int maxEvictionsPerSweep,
        @DefaultValue("1s") Duration restartProbeInterval) {}
