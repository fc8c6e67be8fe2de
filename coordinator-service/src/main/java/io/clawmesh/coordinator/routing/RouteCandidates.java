package io.clawmesh.coordinator.routing;

import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.registry.Node;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The nodes a message may go to and how to pick among them.
 *
 * @param rule the rule that matched; {@code null} when no rule matched or the target was explicit
 */
public record RouteCandidates(@Nullable RoutingRule rule, Strategy strategy, List<Node> nodes) {

    /** The key that keeps round-robin state per rule. */
    public String selectionKey() {
        return (this.rule != null) ? this.rule.id() : "*";
    }
}
