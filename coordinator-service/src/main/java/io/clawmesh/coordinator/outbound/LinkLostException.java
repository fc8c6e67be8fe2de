package io.clawmesh.coordinator.outbound;

import java.io.IOException;

/**
 * An exchange with an outbound agent broke off (or never started: no connection). {@link #accepted()} says whether the
 * agent had acknowledged the request, after which it may have run it and it must not go to another node.
 */
public class LinkLostException extends IOException {

    private final boolean accepted;

    public LinkLostException(boolean accepted, String message) {
        super(message);
        this.accepted = accepted;
    }

    /** Whether the agent had acknowledged the request before the exchange broke. */
    public boolean accepted() {
        return this.accepted;
    }
}
