package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.events.NodeRef;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A registered node: an immutable snapshot whose changes are explicit transitions returning a new snapshot.
 *
 * @param reportedInflight what the agent last reported in flight
 * @param tokenHash SHA-256 of the node token; the token itself is never stored
 * @param connect {@code inbound} or {@code outbound} (ADR 0010); an outbound node's endpoint may be empty
 */
public record Node(
        String id,
        String name,
        String endpoint,
        Capabilities capabilities,
        NodeStatus status,
        @Nullable Instant lastHeartbeat,
        RuntimeInfo runtime,
        int reportedInflight,
        int capacity,
        String tokenHash,
        Instant registeredAt,
        Instant statusChangedAt,
        ConnectMode connect) {

    /** An inbound node, reached over HTTP at its endpoint. */
    public Node(
            String id,
            String name,
            String endpoint,
            Capabilities capabilities,
            NodeStatus status,
            @Nullable Instant lastHeartbeat,
            RuntimeInfo runtime,
            int reportedInflight,
            int capacity,
            String tokenHash,
            Instant registeredAt,
            Instant statusChangedAt) {
        this(
                id,
                name,
                endpoint,
                capabilities,
                status,
                lastHeartbeat,
                runtime,
                reportedInflight,
                capacity,
                tokenHash,
                registeredAt,
                statusChangedAt,
                ConnectMode.INBOUND);
    }

    /** Whether the coordinator reaches this node down the WebSocket its agent opened, never by dialling it. */
    public boolean outbound() {
        return this.connect == ConnectMode.OUTBOUND;
    }

    /** What events say about this node (id, name, endpoint, status); events never carry the aggregate. */
    public NodeRef ref() {
        return new NodeRef(this.id, this.name, this.endpoint, this.status);
    }

    /** The lease this node holds: renewed by each heartbeat. */
    public NodeLease lease() {
        return new NodeLease((this.lastHeartbeat != null) ? this.lastHeartbeat : this.registeredAt);
    }

    /** A copy in another status; the change time moves only when the status really changes. */
    public Node withStatus(NodeStatus newStatus, Instant now) {
        if (newStatus == this.status) {
            return this;
        }
        return new Node(
                this.id,
                this.name,
                this.endpoint,
                this.capabilities,
                newStatus,
                this.lastHeartbeat,
                this.runtime,
                this.reportedInflight,
                this.capacity,
                this.tokenHash,
                this.registeredAt,
                now,
                this.connect);
    }

    /** A copy with another id and registration time (a registration that creates or takes over a node). */
    public Node withIdentity(String newId, Instant newRegisteredAt) {
        return new Node(
                newId,
                this.name,
                this.endpoint,
                this.capabilities,
                this.status,
                this.lastHeartbeat,
                this.runtime,
                this.reportedInflight,
                this.capacity,
                this.tokenHash,
                newRegisteredAt,
                this.statusChangedAt,
                this.connect);
    }

    /** The API view, with {@code inflight} as best known ({@link InflightTracker#load}). */
    public NodeView toView(int inflight) {
        return new NodeView(
                this.id,
                this.name,
                this.endpoint,
                this.capabilities,
                this.status,
                this.lastHeartbeat,
                this.runtime,
                inflight,
                this.capacity,
                this.registeredAt,
                this.connect);
    }
}
