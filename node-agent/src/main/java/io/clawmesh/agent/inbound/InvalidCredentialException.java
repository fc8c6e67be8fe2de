package io.clawmesh.agent.inbound;

/** Thrown when a message arrives with a bearer credential that is not this node's delivery credential. */
public class InvalidCredentialException extends RuntimeException {

    public InvalidCredentialException() {
        super("The bearer credential is not this node's delivery credential; only the coordinator this node is "
                + "registered with can deliver messages");
    }
}
