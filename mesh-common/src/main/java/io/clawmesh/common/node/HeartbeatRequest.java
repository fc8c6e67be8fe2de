package io.clawmesh.common.node;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/nodes/{id}/heartbeat}. Only {@code status} is required (as in the Go version); the
 * agent also sends its in-flight count and capacity, and its capabilities and runtime when they changed.
 *
 * @param csr a certificate signing request (PEM) when the node's certificate of the mesh CA is due for renewal
 *     (ADR 0012); a coordinator running the mesh CA answers the new certificate in the heartbeat reply
 */
public record HeartbeatRequest(
        @Nullable NodeStatus status,
        @Nullable Integer inflight,
        @Nullable Integer capacity,
        @Nullable Capabilities capabilities,
        @Nullable RuntimeInfo runtime,
        @Nullable String csr) {

    /** A heartbeat without a certificate request. */
    public HeartbeatRequest(
            @Nullable NodeStatus status,
            @Nullable Integer inflight,
            @Nullable Integer capacity,
            @Nullable Capabilities capabilities,
            @Nullable RuntimeInfo runtime) {
        this(status, inflight, capacity, capabilities, runtime, null);
    }

    /** The same heartbeat carrying a certificate signing request. */
    public HeartbeatRequest withCsr(@Nullable String csrPem) {
        return new HeartbeatRequest(this.status, this.inflight, this.capacity, this.capabilities, this.runtime, csrPem);
    }
}
