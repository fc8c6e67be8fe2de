package io.clawmesh.coordinator.registry;

/** Another live node at another endpoint already holds the name. */
public class NodeNameConflictException extends RuntimeException {

    public NodeNameConflictException(String name, String endpoint) {
        super(
                "node name '" + name + "' is taken by a live node at " + endpoint
                        + "; pick another --name, or stop that node first (an offline node or the same endpoint takes the name over)");
    }
}
