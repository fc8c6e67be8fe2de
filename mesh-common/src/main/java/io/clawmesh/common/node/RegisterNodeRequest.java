package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/nodes/register}. {@code name}, {@code endpoint} and {@code capabilities} are the Go
 * fields; the rest are ours and optional.
 *
 * @param nodeId the id this agent had before (kept in its data dir); honoured when no other node holds it, so an agent
 *     that deregistered on shutdown comes back as the same node
 * @param connect how the coordinator should reach the node: {@code inbound}, {@code outbound} (the agent dials out;
 *     {@code endpoint} may then be omitted) or {@code auto} (outbound unless the coordinator can reach the endpoint);
 *     absent means {@code inbound}
 */
public record RegisterNodeRequest(
        @Nullable String name,
        @Nullable String endpoint,
        @Nullable Capabilities capabilities,
        @Nullable Integer capacity,
        @Nullable RuntimeInfo runtime,
        @JsonProperty("node_id") @Nullable String nodeId,
        @Nullable ConnectMode connect) {

    public RegisterNodeRequest(String name, String endpoint, Capabilities capabilities) {
        this(name, endpoint, capabilities, null, null, null, null);
    }

    /** A request without a connect mode: the coordinator takes it as {@code inbound}, as agents before it did. */
    public RegisterNodeRequest(
            @Nullable String name,
            @Nullable String endpoint,
            @Nullable Capabilities capabilities,
            @Nullable Integer capacity,
            @Nullable RuntimeInfo runtime,
            @Nullable String nodeId) {
        this(name, endpoint, capabilities, capacity, runtime, nodeId, null);
    }
}
