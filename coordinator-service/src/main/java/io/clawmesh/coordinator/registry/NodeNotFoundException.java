package io.clawmesh.coordinator.registry;

/** No node has the given id (or name). */
public class NodeNotFoundException extends RuntimeException {

    public NodeNotFoundException(String idOrName) {
        super("no node '" + idOrName + "' is registered; list nodes with GET /api/v1/nodes");
    }
}
