package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.registry.Node;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node as the dashboard shows it.
 *
 * @param status the wire name of the status, also the CSS class of its badge
 * @param runtime the runtime kind and version, such as {@code openclaw 2026.9.6}
 * @param loadPercent in flight as a share of capacity, 0-100
 * @param platform os, arch, GPU and memory in one short phrase
 * @param lastHeartbeat ISO-8601 instant for the page script, {@code null} when none arrived yet
 * @param lastHeartbeatAgo the same as an age, as rendered
 */
record NodeRow(
        String id,
        String name,
        String endpoint,
        String status,
        String runtime,
        boolean runtimeConnected,
        int inflight,
        int capacity,
        int loadPercent,
        String platform,
        List<String> tags,
        List<String> skills,
        @Nullable String lastHeartbeat,
        String lastHeartbeatAgo) {

    static NodeRow of(Node node, int inflight, Instant now) {
        int capacity = Math.max(1, node.capacity());
        String version = node.runtime().version();
        return new NodeRow(
                node.id(),
                node.name(),
                // an outbound node is reached over the connection it opened (ADR 0010)
                node.outbound()
                        ? (node.endpoint().isEmpty() ? "outbound" : "outbound (" + node.endpoint() + ")")
                        : node.endpoint(),
                node.status().wireName(),
                node.runtime().kind() + ((version != null) ? " " + version : ""),
                node.runtime().connected(),
                inflight,
                node.capacity(),
                (int) Math.min(100, Math.round(inflight * 100.0 / capacity)),
                platform(node.capabilities()),
                node.capabilities().tags(),
                node.capabilities().skills(),
                (node.lastHeartbeat() != null) ? node.lastHeartbeat().toString() : null,
                RelativeTime.ago(node.lastHeartbeat(), now));
    }

    public boolean offline() {
        return NodeStatus.OFFLINE.wireName().equals(this.status);
    }

    private static String platform(Capabilities capabilities) {
        StringBuilder platform = new StringBuilder();
        platform.append(capabilities.os().isEmpty() ? "unknown os" : capabilities.os());
        if (!capabilities.arch().isEmpty()) {
            platform.append('/').append(capabilities.arch());
        }
        if (capabilities.gpu()) {
            platform.append(" · GPU");
        }
        if (capabilities.memoryGb() > 0) {
            platform.append(" · ").append(capabilities.memoryGb()).append(" GB");
        }
        return platform.toString();
    }
}
