package io.clawmesh.coordinator.routing;

/** An explicitly targeted node exists but cannot take messages now. */
public class NodeUnavailableException extends RuntimeException {

    public NodeUnavailableException(String message) {
        super(message);
    }
}
