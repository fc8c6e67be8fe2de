package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/tasks}.
 *
 * @param content the message for the node's runtime
 * @param source who sent it, for the log (default {@code api})
 * @param sessionKey the conversation it belongs to (session affinity as for routed messages)
 * @param target a node id or name, or {@code group:NAME}; without it the rules decide
 * @param match rule syntax such as {@code gpu:true,os:linux}: only nodes matching it are candidates
 * @param priority 0–9, higher first; default 5
 * @param timeout how long the run may take, in Spring's form ({@code 90s}, {@code 10m}) or ISO-8601 ({@code PT90S});
 *     default {@code mesh.tasks.default-timeout}
 */
public record TaskRequest(
        @Nullable String content,
        @Nullable String source,
        @JsonProperty("session_key") @Nullable String sessionKey,
        @Nullable String target,
        @Nullable String match,
        @Nullable Integer priority,
        @Nullable String timeout) {}
