package io.clawmesh.coordinator.forwarding;

import io.clawmesh.coordinator.MutableClock;
import java.time.Duration;

/** Message records and message log settings for the forwarding tests. */
public final class ForwardingFixtures {

    private ForwardingFixtures() {}

    /** A routed message numbered {@code n}, with every column set. */
    public static MessageRecord routed(int n) {
        return new MessageRecord(
                "msg-" + n,
                "node-0000000000000001",
                "mac-mini",
                MessageRecord.Outcome.ROUTED,
                200,
                40 + n,
                1,
                "rule-000000000001",
                "cli",
                null,
                MutableClock.START.plusMillis(n));
    }

    /** A message that found no node: no node, no rule, an error. */
    public static MessageRecord noRoute(int n) {
        return new MessageRecord(
                "msg-" + n,
                null,
                null,
                MessageRecord.Outcome.NO_ROUTE,
                503,
                1,
                0,
                null,
                null,
                "no nodes are registered",
                MutableClock.START.plusMillis(n));
    }

    public static MessageLogProperties properties(int maxRows) {
        return properties(maxRows, 20000);
    }

    /** Logging on; a buffer below 1000 still holds 1000, the size of one batch. */
    public static MessageLogProperties properties(int maxRows, int bufferSize) {
        return new MessageLogProperties(true, maxRows, Duration.ofMillis(200), bufferSize);
    }

    public static MessageLogProperties disabled() {
        return new MessageLogProperties(false, 10000, Duration.ofMillis(200), 20000);
    }
}
