package io.clawmesh.coordinator.forwarding;

/** Every node tried failed before accepting the message (502). */
public class ForwardingFailedException extends RuntimeException {

    private final String messageId;

    public ForwardingFailedException(String messageId, String message) {
        super(message);
        this.messageId = messageId;
    }

    public String messageId() {
        return this.messageId;
    }
}
