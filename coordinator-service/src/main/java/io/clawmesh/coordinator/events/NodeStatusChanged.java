package io.clawmesh.coordinator.events;

import io.clawmesh.common.node.NodeStatus;
import java.time.Instant;

/**
 * A node moved from one status to another: by its heartbeat, a lease sweep or a probe.
 *
 * @param node the node as it is now
 * @param reason why, for people
 */
public record NodeStatusChanged(NodeRef node, NodeStatus previous, String reason, Instant time) implements MeshEvent {}
