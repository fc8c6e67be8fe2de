package io.clawmesh.coordinator.registry;

/** Another node holds the name, and the registrant may not take it over (SPEC §5). */
public class NodeNameConflictException extends RuntimeException {

    public NodeNameConflictException(String name) {
        super("node name '" + name + "' is taken by another node; pick another --name. Only that node's own token or"
                + " the operator token may take the name over; the join token gets it once the node is removed"
                + " (claw-mesh node rm " + name + ") or evicted after being offline for mesh.health.deregister-after");
    }
}
