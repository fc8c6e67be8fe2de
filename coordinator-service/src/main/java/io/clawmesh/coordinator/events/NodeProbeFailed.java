package io.clawmesh.coordinator.events;

import java.time.Instant;

/**
 * An active health probe of a node failed.
 *
 * @param consecutiveFailures failures in a row, this one included
 * @param cause what went wrong, for people
 */
public record NodeProbeFailed(NodeRef node, int consecutiveFailures, String cause, Instant time) implements MeshEvent {}
