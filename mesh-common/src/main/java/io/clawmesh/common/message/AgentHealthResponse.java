package io.clawmesh.common.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.node.RuntimeInfo;
import org.jspecify.annotations.Nullable;

/**
 * Body of the agent's {@code GET /healthz}: {@code ok} when the agent and its runtime work, {@code degraded} when the
 * runtime is disconnected. Reveals nothing secret.
 */
public record AgentHealthResponse(
        String status,
        RuntimeInfo runtime,
        @Nullable String name,
        @JsonProperty("node_id") @Nullable String nodeId,
        int inflight,
        int capacity) {}
