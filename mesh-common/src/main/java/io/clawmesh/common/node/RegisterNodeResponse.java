package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Answer to a registration: the node's id and its node token, shown this once and stored only as a hash, and the
 * connect mode the coordinator chose ({@code inbound} or {@code outbound}, never {@code auto}); absent from a
 * coordinator that predates outbound agents, which means {@code inbound}.
 */
public record RegisterNodeResponse(
        @JsonProperty("node_id") String nodeId,
        String token,
        @Nullable ConnectMode connect) {

    public RegisterNodeResponse(String nodeId, String token) {
        this(nodeId, token, ConnectMode.INBOUND);
    }

    @Override
    public String toString() {
        return "RegisterNodeResponse[nodeId=" + this.nodeId + ", token=<redacted>, connect=" + this.connect + "]";
    }
}
