package io.clawmesh.agent.inbound;

/** Thrown when a message's content is larger than the agent accepts. */
public class MessageTooLargeException extends RuntimeException {

    public MessageTooLargeException(long limit) {
        super("content is larger than " + limit + " bytes; send a shorter message");
    }
}
