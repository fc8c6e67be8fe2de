package io.clawmesh.coordinator.events;

import java.time.Instant;

/**
 * A node was removed from the registry (deregistered by its agent, removed by the operator, or expired).
 *
 * @param node the node as it was last
 * @param reason why, for people
 */
public record NodeRemoved(NodeRef node, String reason, Instant time) implements MeshEvent {}
