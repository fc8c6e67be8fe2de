package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A node as the coordinator API shows it: the Go claw-mesh fields first, then ours. Never carries a token.
 *
 * @param inflight messages in flight on the node: the larger of what it last reported and what the answering
 *     coordinator has in flight to it
 * @param connect how the coordinator reaches the node: {@code inbound} (HTTP to its endpoint) or {@code outbound}
 *     (down the WebSocket the agent opened); an outbound node's endpoint may be empty
 */
public record NodeView(
        String id,
        String name,
        String endpoint,
        Capabilities capabilities,
        NodeStatus status,
        @JsonProperty("last_heartbeat") @Nullable Instant lastHeartbeat,
        RuntimeInfo runtime,
        int inflight,
        int capacity,
        @JsonProperty("registered_at") Instant registeredAt,
        ConnectMode connect) {

    /** A view of an inbound node (the Go fields and ours before outbound agents). */
    public NodeView(
            String id,
            String name,
            String endpoint,
            Capabilities capabilities,
            NodeStatus status,
            @Nullable Instant lastHeartbeat,
            RuntimeInfo runtime,
            int inflight,
            int capacity,
            Instant registeredAt) {
        this(
                id,
                name,
                endpoint,
                capabilities,
                status,
                lastHeartbeat,
                runtime,
                inflight,
                capacity,
                registeredAt,
                ConnectMode.INBOUND);
    }
}
