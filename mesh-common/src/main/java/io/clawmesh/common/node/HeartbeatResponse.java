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
 * @param certificate the renewed node certificate followed by the mesh CA's, PEM, when the heartbeat carried a CSR and
 *     the coordinator runs the mesh CA (ADR 0012)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeartbeatResponse(
        @JsonProperty("node_token") @Nullable String nodeToken,
        @JsonProperty("certificate") @Nullable String certificate) {

    /** An answer that hands over a new node token only. */
    public HeartbeatResponse(@Nullable String nodeToken) {
        this(nodeToken, null);
    }

    @Override
    public String toString() {
        return "HeartbeatResponse[nodeToken=" + ((this.nodeToken != null) ? "<redacted>" : "null") + ", certificate="
                + ((this.certificate != null) ? "<" + this.certificate.length() + " chars>" : "null") + "]";
    }
}
