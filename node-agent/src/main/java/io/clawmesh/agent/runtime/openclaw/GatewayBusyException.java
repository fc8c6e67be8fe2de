package io.clawmesh.agent.runtime.openclaw;

import java.time.Duration;

/** The gateway answered a request with the retryable {@code UNAVAILABLE}; the same request may go again later. */
class GatewayBusyException extends RuntimeException {

    private final Duration retryAfter;

    private final boolean sessionChanged;

    GatewayBusyException(String message, Duration retryAfter, boolean sessionChanged) {
        super(message);
        this.retryAfter = retryAfter;
        this.sessionChanged = sessionChanged;
    }

    /** {@code SESSION_WORK_START_CHANGED}: the session the run would start in is not the one the gateway expects. */
    boolean sessionChanged() {
        return this.sessionChanged;
    }

    Duration retryAfter() {
        return this.retryAfter;
    }
}
