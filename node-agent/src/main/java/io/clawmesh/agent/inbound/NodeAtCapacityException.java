package io.clawmesh.agent.inbound;

/** Thrown when a message arrives while every runtime slot is taken. */
public class NodeAtCapacityException extends RuntimeException {

    public NodeAtCapacityException(int capacity) {
        super("node at capacity (" + capacity + " concurrent messages); retry later or send it to another node");
    }
}
