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

        private static final Outcome[] ALL = values();

        /** Computed once: the log writes and reads it for every record. */
        private final String wireName =
                name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        public String wireName() {
            return this.wireName;
        }

        /** The outcome with this wire name, or {@code null} for a name no version wrote. */
        public static @Nullable Outcome fromWireName(@Nullable String wireName) {
            for (Outcome outcome : ALL) {
                if (outcome.wireName().equals(wireName)) {
                    return outcome;
                }
            }
            return null;
        }
    }
}
