package io.clawmesh.coordinator.registry;

/** Another live node at another endpoint already holds the name. */
public class NodeNameConflictException extends RuntimeException {

    public NodeNameConflictException(String name) {
        super("node name '" + name
                + "' is taken by a live node at another endpoint; pick another --name, or stop that node"
                + " first (an offline node, or a node at the same endpoint, is taken over)");
    }
}
