package io.clawmesh.coordinator.metrics;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.events.NodeProbeFailed;
import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Node meters read from the registry at scrape time: {@code mesh_nodes{status}}, and per node
 * {@code mesh_node_inflight}, {@code mesh_heartbeat_age_seconds} and {@code mesh_probe_failures_total}. Per-node
 * meters exist while the node is registered: they come with {@link NodeRegistered}, go with {@link NodeRemoved}, and
 * a reconcile every 30 s catches nodes another replica registered or removed, so the node tag stays bounded by the
 * registry.
 */
@Component
public class NodeMeters {

    private final MeterRegistry registry;

    private final NodeCache nodes;

    private final InflightTracker inflight;

    private final Clock clock;

    /** The per-node meters by node id, with the name they are tagged with. */
    private final Map<String, PerNode> perNode = new ConcurrentHashMap<>();

    private record PerNode(String name, List<Meter> meters) {}

    public NodeMeters(MeterRegistry registry, NodeCache nodes, InflightTracker inflight, Clock clock) {
        this.registry = registry;
        this.nodes = nodes;
        this.inflight = inflight;
        this.clock = clock;
        for (NodeStatus status : NodeStatus.values()) {
            Gauge.builder("mesh.nodes", nodes, (cache) -> count(cache, status))
                    .description("Registered nodes by status")
                    .tag("status", status.wireName())
                    .strongReference(true)
                    .register(registry);
        }
    }

    @EventListener
    void onNodeRegistered(NodeRegistered event) {
        add(event.node().id(), event.node().name());
    }

    @EventListener
    void onNodeRemoved(NodeRemoved event) {
        remove(event.node().id());
    }

    @EventListener
    void onProbeFailed(NodeProbeFailed event) {
        probeFailures(event.node().name()).increment();
    }

    /** Meters for every node in the registry, none for nodes that left it (also those another replica removed). */
    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelayString = "${mesh.metrics.reconcile-interval:30s}", initialDelayString = "30s")
    public void reconcile() {
        Set<String> present = new HashSet<>();
        for (Node node : this.nodes.all()) {
            present.add(node.id());
            add(node.id(), node.name());
        }
        for (String id : Set.copyOf(this.perNode.keySet())) {
            if (!present.contains(id)) {
                remove(id);
            }
        }
    }

    private void add(String id, String name) {
        PerNode existing = this.perNode.get(id);
        if (existing != null && existing.name().equals(name)) {
            return;
        }
        if (existing != null) {
            remove(id);
        }
        List<Meter> meters = List.of(
                Gauge.builder("mesh.node.inflight", () -> this.inflight.get(id))
                        .description("Messages the coordinator has in flight on the node")
                        .tag("node", name)
                        .register(this.registry),
                Gauge.builder("mesh.heartbeat.age", () -> heartbeatAgeSeconds(id))
                        .description("Time since the node's last heartbeat (since registration before the first)")
                        .tag("node", name)
                        .baseUnit("seconds")
                        .register(this.registry),
                probeFailures(name));
        this.perNode.put(id, new PerNode(name, meters));
    }

    private void remove(String id) {
        PerNode removed = this.perNode.remove(id);
        if (removed == null) {
            return;
        }
        removed.meters().forEach(this.registry::remove);
        // forward timers of the node, one per outcome it saw
        this.registry
                .find(RoutingMeters.FORWARD_DURATION)
                .tag("node", removed.name())
                .meters()
                .forEach(this.registry::remove);
    }

    private Counter probeFailures(String nodeName) {
        return Counter.builder("mesh.probe.failures")
                .description("Failed active health probes, by node")
                .tag("node", nodeName)
                .register(this.registry);
    }

    private double heartbeatAgeSeconds(String id) {
        return this.nodes
                .get(id)
                .map((node) -> Duration.between(node.lease().lastRenewal(), this.clock.instant())
                                .toMillis()
                        / 1000.0)
                .orElse(Double.NaN);
    }

    private static double count(NodeCache cache, NodeStatus status) {
        int count = 0;
        for (Node node : cache.all()) {
            if (node.status() == status) {
                count++;
            }
        }
        return count;
    }
}
