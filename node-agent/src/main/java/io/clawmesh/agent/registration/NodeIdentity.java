package io.clawmesh.agent.registration;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who this agent is to one coordinator: the node id and node token it got at registration, and the coordinator that
 * issued them. Kept in {@code <data-dir>/node.json}.
 */
public record NodeIdentity(
        @JsonProperty("node_id") String nodeId,
        String token,
        @JsonProperty("coordinator_url") String coordinatorUrl) {

    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + this.nodeId + ", token=<redacted>, coordinatorUrl=" + this.coordinatorUrl + "]";
    }
}
