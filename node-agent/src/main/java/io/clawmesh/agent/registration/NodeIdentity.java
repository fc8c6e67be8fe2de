package io.clawmesh.agent.registration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Who this agent is to one coordinator: the node id and node token it got at registration (or the last token
 * rotation, ADR 0014), and the coordinator that issued them. Kept in {@code <data-dir>/node.json}.
 *
 * @param previousToken the token a rotation replaced: the coordinator may still deliver with the credential derived
 *     from it until every replica has seen the switch, so the agent accepts both until the next rotation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeIdentity(
        @JsonProperty("node_id") String nodeId,
        String token,
        @JsonProperty("coordinator_url") String coordinatorUrl,
        @JsonProperty("previous_token") @Nullable String previousToken) {

    public NodeIdentity(String nodeId, String token, String coordinatorUrl) {
        this(nodeId, token, coordinatorUrl, null);
    }

    /** The identity after a rotation: {@code newToken} in use, the current one kept as the previous one. */
    public NodeIdentity rotatedTo(String newToken) {
        return new NodeIdentity(this.nodeId, newToken, this.coordinatorUrl, this.token);
    }

    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + this.nodeId + ", token=<redacted>, coordinatorUrl=" + this.coordinatorUrl + "]";
    }
}
