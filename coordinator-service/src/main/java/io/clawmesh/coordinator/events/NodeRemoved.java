package io.clawmesh.coordinator.events;

import io.clawmesh.coordinator.registry.Node;
import java.time.Instant;

/**
 * A node was removed from the registry (deregistered by its agent, removed by the operator, or expired).
 *
 * @param node the node as it was last
 * @param reason why, for people
 */
public record NodeRemoved(Node node, String reason, Instant time) implements MeshEvent {}
