package io.clawmesh.coordinator.seed;

/** The coordinator has no OpenClaw config to share, or cannot read it; the message says which and what to do. */
public class SeedConfigUnavailableException extends RuntimeException {

    private final boolean missing;

    SeedConfigUnavailableException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    /** {@code true} when there is no config at all (404), {@code false} when it exists but cannot be served (500). */
    public boolean missing() {
        return this.missing;
    }
}
