package io.clawmesh.common.node;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/nodes/{id}/heartbeat}. Only {@code status} is required (as in the Go version); the
 * agent also sends its in-flight count and capacity, and its capabilities and runtime when they changed.
 */
public record HeartbeatRequest(
        @Nullable NodeStatus status,
        @Nullable Integer inflight,
        @Nullable Integer capacity,
        @Nullable Capabilities capabilities,
        @Nullable RuntimeInfo runtime) {}
