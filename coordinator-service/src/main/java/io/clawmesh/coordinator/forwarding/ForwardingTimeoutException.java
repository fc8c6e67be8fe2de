package io.clawmesh.coordinator.forwarding;

/** A node accepted the message but did not answer in time (504); it is not resent, since it may still be running. */
public class ForwardingTimeoutException extends RuntimeException {

    private final String messageId;

    public ForwardingTimeoutException(String messageId, String message) {
        super(message);
        this.messageId = messageId;
    }

    public String messageId() {
        return this.messageId;
    }
}
