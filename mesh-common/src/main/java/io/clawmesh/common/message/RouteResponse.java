package io.clawmesh.common.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer to a routed message: which node answered and what it said. */
public record RouteResponse(
        @JsonProperty("message_id") String messageId,
        @JsonProperty("node_id") String nodeId,
        @JsonProperty("node_name") String nodeName,
        String response) {}
