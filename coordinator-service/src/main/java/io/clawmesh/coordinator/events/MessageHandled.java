package io.clawmesh.coordinator.events;

import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.messages.MessageRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message was routed and answered, or routing it failed for good.
 *
 * @param record what the message log keeps of it (outcome, node, latency, attempts)
 * @param strategy the strategy that chose among the candidates; {@code null} when no candidate existed
 * @param explicit whether the caller named the node ({@code POST /api/v1/route/{node}})
 * @param content the message content; only listeners configured to show content may use it
 */
public record MessageHandled(
        MessageRecord record, @Nullable Strategy strategy, boolean explicit, String content, Instant time)
        implements MeshEvent {

    /** Nodes tried beyond the first: the failovers this message caused. */
    public int failovers() {
        return Math.max(0, this.record.attempts() - 1);
    }
}
