package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.messages.MessageRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A routed message as the dashboard lists it: who answered, how fast and how it ended, never its content.
 *
 * @param outcome the wire name of the outcome, also the CSS class of its badge
 */
record MessageRow(
        String messageId,
        @Nullable String nodeId,
        @Nullable String nodeName,
        String outcome,
        long latencyMs,
        int attempts,
        @Nullable String source,
        @Nullable String error,
        String time,
        String ago) {

    static MessageRow of(MessageRecord record, Instant now) {
        return new MessageRow(
                record.messageId(),
                record.nodeId(),
                record.nodeName(),
                record.outcome().wireName(),
                record.latencyMs(),
                record.attempts(),
                record.source(),
                record.error(),
                record.createdAt().toString(),
                RelativeTime.ago(record.createdAt(), now));
    }
}
