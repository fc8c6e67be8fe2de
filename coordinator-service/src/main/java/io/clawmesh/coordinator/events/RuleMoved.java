package io.clawmesh.coordinator.events;

import io.clawmesh.common.routing.RoutingRule;
import java.time.Instant;

/**
 * A routing rule was moved.
 *
 * @param position its zero-based position after the move
 */
public record RuleMoved(RoutingRule rule, int position, Instant time) implements MeshEvent {}
