package io.clawmesh.coordinator.health;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeLease;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Expires leases: a live node with no heartbeat within the timeout goes offline, and a node offline for longer than
 * {@code deregister-after} is removed. When most of the fleet goes stale at once the fault is more likely the
 * coordinator's own network, so the sweep marks nobody and evicts nobody (Eureka's self-preservation); probes still
 * judge each node on its own.
 */
@Component
public class LeaseSweeper {

    private static final Logger logger = LoggerFactory.getLogger(LeaseSweeper.class);

    private final NodeRegistry registry;

    private final HealthProperties properties;

    private final Clock clock;

    private final AtomicBoolean selfPreservation = new AtomicBoolean();

    /** Heartbeats could not arrive while this coordinator was down: no lease counts as older than its start. */
    private final Instant startedAt;

    public LeaseSweeper(NodeRegistry registry, HealthProperties properties, Clock clock) {
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** One sweep over all leases; run on the scheduler leader every {@code mesh.health.sweep-interval}. */
    public void sweep() {
        Instant now = this.clock.instant();
        List<Node> nodes = List.copyOf(this.registry.all());
        List<Node> live = nodes.stream()
                .filter((node) -> node.status() != NodeStatus.OFFLINE)
                .toList();
        List<Node> stale = live.stream()
                .filter((node) -> leaseOf(node).isExpired(now, this.properties.heartbeatTimeout()))
                .toList();
        if (isMassExpiry(live.size(), stale.size())) {
            if (this.selfPreservation.compareAndSet(false, true)) {
                logger.warn(
                        "{} of {} live nodes missed their heartbeats at once: suspecting this coordinator's network, "
                                + "not marking them offline or evicting anyone until heartbeats return (probes still run)",
                        stale.size(),
                        live.size());
            }
            return;
        }
        if (this.selfPreservation.compareAndSet(true, false)) {
            logger.info("Heartbeats are back for most of the fleet: leaving self-preservation");
        }
        for (Node node : stale) {
            this.registry.transition(
                    node.id(),
                    NodeStatus.OFFLINE,
                    "no heartbeat for " + node.lease().age(now).toSeconds() + "s (timeout "
                            + this.properties.heartbeatTimeout().toSeconds() + "s)",
                    now.minus(this.properties.heartbeatTimeout()));
        }
        evict(nodes, now);
    }

    /** Whether the sweep is holding back because most of the fleet went stale together. */
    public boolean inSelfPreservation() {
        return this.selfPreservation.get();
    }

    private NodeLease leaseOf(Node node) {
        NodeLease lease = node.lease();
        return lease.lastRenewal().isBefore(this.startedAt) ? new NodeLease(this.startedAt) : lease;
    }

    private boolean isMassExpiry(int live, int stale) {
        return live >= this.properties.massStaleMinNodes() && stale > live * this.properties.massStaleRatio();
    }

    private void evict(List<Node> nodes, Instant now) {
        int evicted = 0;
        for (Node node : nodes) {
            if (evicted >= this.properties.maxEvictionsPerSweep()) {
                break;
            }
            if (node.status() == NodeStatus.OFFLINE
                    && node.statusChangedAt()
                            .plus(this.properties.deregisterAfter())
                            .isBefore(now)) {
                try {
                    this.registry.deregister(
                            node.id(),
                            "offline for more than "
                                    + this.properties.deregisterAfter().toHours() + "h");
                    evicted++;
                } catch (NodeNotFoundException ex) {
                    // Removed meanwhile by its agent, the operator or another replica.
                }
            }
        }
    }
}
