package io.clawmesh.coordinator.events;

import io.clawmesh.common.routing.RoutingRule;
import java.time.Instant;

/**
 * A routing rule was added.
 *
 * @param position its zero-based position in the rule list
 */
public record RuleAdded(RoutingRule rule, int position, Instant time) implements MeshEvent {}
