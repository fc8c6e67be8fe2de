package io.clawmesh.agent.inbound;

/** Thrown when a message arrives before the agent has registered, so there is no credential to check it against. */
public class NotRegisteredException extends RuntimeException {

    public NotRegisteredException() {
        super("This agent is not registered yet, so it cannot accept messages; try again once it has joined the mesh");
    }
}
