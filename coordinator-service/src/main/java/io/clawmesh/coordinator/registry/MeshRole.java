package io.clawmesh.coordinator.registry;

/** What a bearer token may do: everything, only register nodes, or act for one node. */
public enum MeshRole {
    OPERATOR,
    JOIN,
    NODE;

    /** The principal name of an operator or join token. */
    public String principalName() {
        return (this == OPERATOR) ? "operator" : (this == JOIN) ? "join" : "node";
    }

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
