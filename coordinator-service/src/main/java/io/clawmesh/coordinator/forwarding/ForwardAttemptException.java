package io.clawmesh.coordinator.forwarding;

/** One attempt to hand a message to one node failed; {@link Kind} says whether another node may be tried. */
public class ForwardAttemptException extends Exception {

    /** What the failure means for failover. */
    public enum Kind {
        /** The node never took the message (refused, unreachable, runtime down): try another, cool this one down. */
        NOT_ACCEPTED,
        /** The connection broke before an answer; the node may be fine: try another, no cooldown. */
        INTERRUPTED,
        /** The node is at capacity (429): try another, no cooldown. */
        FULL,
        /**
         * Final: the node refused the message itself (400: another node would refuse it too), or it may have run it
         * (500, an unreadable 2xx reply), so it is not sent elsewhere.
         */
        REJECTED,
        /** The node accepted the message and did not answer in time: never resend. */
        TIMED_OUT;

        /** Lower-case name for logs, events and metrics, for example {@code not_accepted}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;

    public ForwardAttemptException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return this.kind;
    }
}
