package io.clawmesh.coordinator.events;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to hand a message to one node ended.
 *
 * @param outcome {@code ok}, or what went wrong: {@code not_accepted}, {@code interrupted}, {@code full},
 *     {@code rejected} or {@code timed_out}
 * @param duration how long the attempt took
 */
public record ForwardAttempted(NodeRef node, String messageId, String outcome, Duration duration, Instant time)
        implements MeshEvent {

    /** The outcome of an attempt the node answered. */
    public static final String OK = "ok";
}
