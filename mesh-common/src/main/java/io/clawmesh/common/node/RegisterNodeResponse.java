package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer to a registration: the node's id and its node token, shown this once and stored only as a hash. */
public record RegisterNodeResponse(@JsonProperty("node_id") String nodeId, String token) {

    @Override
    public String toString() {
        return "RegisterNodeResponse[nodeId=" + this.nodeId + ", token=<redacted>]";
    }
}
