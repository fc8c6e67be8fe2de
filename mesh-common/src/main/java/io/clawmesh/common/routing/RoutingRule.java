package io.clawmesh.common.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A routing rule as stored and listed: rules are evaluated in list order and the first one with an available
 * matching node wins.
 *
 * @param target a node name or id that narrows the matching nodes; {@code null} for any matching node
 */
public record RoutingRule(
        String id,
        RuleMatch match,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String target,
        Strategy strategy) {}
