package io.clawmesh.coordinator.forwarding;

import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;

/**
 * Carries what an agent's answer means for failover out of the HTTP client's response callback, which may throw only
 * unchecked exceptions; {@link NodeClient} turns it into a {@link ForwardAttemptException}.
 */
final class AgentAnswerException extends RuntimeException {

    private final Kind kind;

    AgentAnswerException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    ForwardAttemptException toAttemptFailure() {
        return new ForwardAttemptException(this.kind, getMessage());
    }
}
