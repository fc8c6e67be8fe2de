package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a reply, or the reason there is none, from what the gateway answers about a run: the final {@code res} of
 * {@code agent}, an {@code agent.wait} answer, the {@code lifecycle} {@code end} event, or an error.
 */
final class AgentAnswers {

    private static final String RUNTIME = AgentRunner.RUNTIME;

    private AgentAnswers() {}

    /** The reply from the final {@code res} of {@code agent} (also the single answer of a cached run). */
    static String ofFinal(AgentRun run, JsonNode payload) {
        String status = payload.path("status").asString("");
        if (!"ok".equals(status)) {
            throw new RuntimeFailureException(
                    RUNTIME,
                    "run " + run.id() + " ended with status '" + status + "' ("
                            + payload.path("summary").asString("") + ", stopReason "
                            + payload.path("stopReason").asString("unknown") + ")");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode item : payload.path("result").path("payloads")) {
            String part = item.path("text").asString("");
            if (!part.isBlank()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(part);
            }
        }
        return visible(run, text.toString());
    }

    /** The reply from an {@code agent.wait} answer; {@code null} when it timed out (still running or unknown). */
    static @Nullable String ofWait(AgentRun run, JsonNode payload) {
        String status = payload.path("status").asString("");
        if ("ok".equals(status)) {
            return visible(run, payload.path("terminalReply").path("text").asString(""));
        }
        if ("timeout".equals(status)) {
            return null;
        }
        throw new RuntimeFailureException(
                RUNTIME,
                "run " + run.id() + " ended with status '" + status + "' (stopReason "
                        + payload.path("stopReason").asString("unknown") + ")");
    }

    /** The reply from a {@code lifecycle} {@code end} event's data; {@code null} when it carries no visible one. */
    static @Nullable String ofEnd(AgentRun run, JsonNode data) {
        if (data.path("aborted").asBoolean(false)) {
            throw new RuntimeFailureException(
                    RUNTIME,
                    "run " + run.id() + " was aborted on the gateway (stopReason "
                            + data.path("stopReason").asString("unknown") + ")");
        }
        String text = data.path("terminalReply").path("text").asString("");
        return text.isBlank() ? null : text;
    }

    static RuntimeFailureException refused(AgentRun run, String method, JsonNode error) {
        return new RuntimeFailureException(
                RUNTIME,
                "the gateway refused " + method + " for run " + run.id() + ": "
                        + error.path("code").asString("UNKNOWN") + " "
                        + error.path("message").asString(""));
    }

    /** How long to wait before a request answered {@code UNAVAILABLE} goes again (the gateway's hint, or 1 s). */
    static Duration retryAfter(JsonNode error) {
        long millis = error.path("retryAfterMs")
                .asLong(error.path("details").path("retryAfterMs").asLong(1000));
        return Duration.ofMillis(Math.clamp(millis, 100, 10_000));
    }

    private static String visible(AgentRun run, String text) {
        if (text.isBlank()) {
            throw new RuntimeFailureException(RUNTIME, "run " + run.id() + " finished without a visible reply");
        }
        return text;
    }
}
