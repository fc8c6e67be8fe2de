package io.clawmesh.coordinator.outbound;

/** Which replica holds an outbound node's connection, when several coordinators share one database (ADR 0013). */
public interface LinkHolders {

    /** Whether another live replica holds the node's connection: then it is reachable, through that replica. */
    boolean heldByAnotherReplica(String nodeId);
}
