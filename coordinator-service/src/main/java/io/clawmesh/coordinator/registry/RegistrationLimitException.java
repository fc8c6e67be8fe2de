package io.clawmesh.coordinator.registry;

import java.time.Duration;

/** A join-token registration over one of the {@link JoinLimitProperties limits}; the caller may retry after a while. */
public class RegistrationLimitException extends RuntimeException {

    private final Duration retryAfter;

    public RegistrationLimitException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before trying again. */
    public Duration retryAfter() {
        return this.retryAfter;
    }
}
