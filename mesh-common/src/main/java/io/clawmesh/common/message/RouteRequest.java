package io.clawmesh.common.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/route} and {@code POST /api/v1/route/{node}}.
 *
 * @param source who sent the message (a channel or user name); free text, for the log
 * @param sessionKey the conversation this message belongs to; the runtime keeps its context under this key
 */
public record RouteRequest(
        @Nullable String content,
        @Nullable String source,
        @JsonProperty("session_key") @Nullable String sessionKey) {

    public RouteRequest(String content) {
        this(content, null, null);
    }
}
