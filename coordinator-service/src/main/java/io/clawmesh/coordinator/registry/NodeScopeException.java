package io.clawmesh.coordinator.registry;

/** A node token was used on another node's resources. */
public class NodeScopeException extends RuntimeException {

    public NodeScopeException(String message) {
        super(message);
    }
}
