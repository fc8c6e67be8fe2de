package io.clawmesh.common.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The agent's answer to a message: the runtime's reply. */
public record AgentMessageResponse(
        @JsonProperty("message_id") String messageId,
        @JsonProperty("node_id") String nodeId,
        String response) {}
