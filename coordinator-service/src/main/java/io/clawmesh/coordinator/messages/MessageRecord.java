package io.clawmesh.coordinator.messages;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One routed message in the message log. The content is not kept: the log says who answered, how fast and how it
 * ended.
 *
 * @param status the HTTP status the caller got
 * @param attempts how many nodes were tried
 */
public record MessageRecord(
        String messageId,
        @Nullable String nodeId,
        @Nullable String nodeName,
        Outcome outcome,
        int status,
        long latencyMs,
        int attempts,
        @Nullable String ruleId,
        @Nullable String source,
        @Nullable String error,
        Instant createdAt) {

    /** How a routed message ended. */
    public enum Outcome {
        ROUTED,
        FAILED,
        TIMED_OUT,
        NO_ROUTE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
