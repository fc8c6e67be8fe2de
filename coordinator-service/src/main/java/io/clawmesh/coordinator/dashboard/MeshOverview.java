package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.messages.MessageCounts;
import io.clawmesh.coordinator.messages.MessageLog;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Reads the registry and the message log into what the dashboard pages show. */
@Component
class MeshOverview {

    private final NodeRegistry registry;

    private final InflightTracker inflight;

    private final MessageLog messages;

    private final DashboardProperties properties;

    private final Clock clock;

    MeshOverview(
            NodeRegistry registry,
            InflightTracker inflight,
            MessageLog messages,
            DashboardProperties properties,
            Clock clock) {
        this.registry = registry;
        this.inflight = inflight;
        this.messages = messages;
        this.properties = properties;
        this.clock = clock;
    }

    MeshSummary summary() {
        Collection<Node> nodes = this.registry.all();
        Instant now = this.clock.instant();
        long lastMinute =
                this.messages.countSince(now.minus(Duration.ofMinutes(1))).total();
        MessageCounts lastHour = this.messages.countSince(now.minus(Duration.ofHours(1)));
        return new MeshSummary(
                nodes.size(),
                count(nodes, NodeStatus.ONLINE),
                count(nodes, NodeStatus.BUSY),
                count(nodes, NodeStatus.DEGRADED),
                count(nodes, NodeStatus.OFFLINE),
                this.inflight.total(),
                lastMinute,
                lastHour.failovers());
    }

    /** Every node, by name. */
    List<NodeRow> nodes() {
        Instant now = this.clock.instant();
        return this.registry.all().stream()
                .sorted(Comparator.comparing(Node::name))
                .map((node) -> NodeRow.of(node, this.inflight.load(node), now))
                .toList();
    }

    Optional<NodeRow> node(String idOrName) {
        Instant now = this.clock.instant();
        return this.registry.findByIdOrName(idOrName).map((node) -> NodeRow.of(node, this.inflight.load(node), now));
    }

    List<MessageRow> recentMessages() {
        Instant now = this.clock.instant();
        return this.messages.recent(this.properties.recentMessages()).stream()
                .map((record) -> MessageRow.of(record, now))
                .toList();
    }

    List<MessageRow> recentMessages(String nodeId) {
        Instant now = this.clock.instant();
        return this.messages.recentForNode(nodeId, this.properties.recentMessages()).stream()
                .map((record) -> MessageRow.of(record, now))
                .toList();
    }

    private static int count(Collection<Node> nodes, NodeStatus status) {
        return (int) nodes.stream().filter((node) -> node.status() == status).count();
    }
}
