package io.clawmesh.common.routing;

import org.jspecify.annotations.Nullable;

/** Body of {@code PUT /api/v1/rules/{id}/position}: the rule's new zero-based position in the list. */
public record MoveRuleRequest(@Nullable Integer position) {}
