package io.clawmesh.coordinator.registry;

/**
 * What a bearer token may do: everything, only register nodes, act for one node, or (a client key) use the front
 * doors and its own tasks.
 */
public enum MeshRole {
    OPERATOR,
    JOIN,
    NODE,
    CLIENT;

    /** The principal name of an operator or join token. */
    public String principalName() {
        return switch (this) {
            case OPERATOR -> "operator";
            case JOIN -> "join";
            case NODE -> "node";
            case CLIENT -> "client";
        };
    }

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
