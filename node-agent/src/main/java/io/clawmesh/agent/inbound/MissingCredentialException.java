package io.clawmesh.agent.inbound;

/** Thrown when a message arrives without a bearer credential. */
public class MissingCredentialException extends RuntimeException {

    public MissingCredentialException() {
        super("Send 'Authorization: Bearer <delivery credential>'; only the coordinator this node is registered with "
                + "can deliver messages");
    }
}
