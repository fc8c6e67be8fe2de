package io.clawmesh.coordinator.events;

import io.clawmesh.common.routing.RoutingRule;
import java.time.Instant;

/** A routing rule was deleted. */
public record RuleRemoved(RoutingRule rule, Instant time) implements MeshEvent {}
