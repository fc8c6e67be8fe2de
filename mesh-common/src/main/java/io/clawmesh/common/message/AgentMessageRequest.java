package io.clawmesh.common.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Body of the agent's {@code POST /api/v1/messages}, sent by the coordinator.
 *
 * @param id the mesh message id; the runtime uses it as its idempotency key, so a retried message is not run twice
 */
public record AgentMessageRequest(
        @Nullable String id,
        @Nullable String content,
        @Nullable String source,
        @JsonProperty("session_key") @Nullable String sessionKey,
        @JsonProperty("created_at") @Nullable Instant createdAt) {}
