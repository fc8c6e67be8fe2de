package io.clawmesh.common.routing;

import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/v1/rules}: a match, an optional target node (name or id) and an optional strategy. */
public record RuleRequest(
        @Nullable RuleMatch match,
        @Nullable String target,
        @Nullable Strategy strategy) {}
