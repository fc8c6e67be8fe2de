package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of a {@code 200} answer to a heartbeat; a heartbeat with nothing to hand back gets {@code 204} and no body.
 * Every field is optional, so an agent reads what it knows and ignores the rest.
 *
 * @param nodeToken a new node token (rotation, ADR 0014): the agent stores it, then uses it for every call; the one
 *     it used so far stays valid until then
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeartbeatResponse(
        @JsonProperty("node_token") @Nullable String nodeToken) {

    @Override
    public String toString() {
        return "HeartbeatResponse[nodeToken=" + ((this.nodeToken != null) ? "<redacted>" : "null") + "]";
    }
}
