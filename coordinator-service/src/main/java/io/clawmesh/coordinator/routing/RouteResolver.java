package io.clawmesh.coordinator.routing;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Finds the candidate nodes for a message (SPEC §6): an explicit target, else the first rule with an available
 * matching node, else every available node. Works only on routable nodes, so its cost does not grow with the number of
 * offline nodes.
 */
@Component
public class RouteResolver {

    private final NodeRegistry registry;

    private final RoutingRules rules;

    private final FailoverCooldowns cooldowns;

    public RouteResolver(NodeRegistry registry, RoutingRules rules, FailoverCooldowns cooldowns) {
        this.registry = registry;
        this.rules = rules;
        this.cooldowns = cooldowns;
    }

    /**
     * Candidates for an automatically routed message.
     *
     * @throws NoRouteAvailableException saying why no node can take it
     */
    public RouteCandidates resolve() {
        List<Node> available = available();
        if (available.isEmpty()) {
            throw new NoRouteAvailableException(whyNothingIsAvailable());
        }
        for (RoutingRule rule : this.rules.list()) {
            List<Node> matching = new ArrayList<>(available.size());
            for (Node node : available) {
                if (rule.match().matches(node.capabilities()) && targets(rule, node)) {
                    matching.add(node);
                }
            }
            if (!matching.isEmpty()) {
                return new RouteCandidates(rule, rule.strategy(), matching);
            }
        }
        return new RouteCandidates(null, Strategy.LEAST_BUSY, available);
    }

    /**
     * The one node a message was explicitly sent to, by id or name. Degraded nodes may be targeted explicitly.
     *
     * @throws NodeNotFoundException when no such node exists
     * @throws NodeUnavailableException when it is offline
     */
    public RouteCandidates resolveExplicit(String idOrName) {
        Node node = this.registry.findByIdOrName(idOrName).orElseThrow(() -> new NodeNotFoundException(idOrName));
        if (node.status() == NodeStatus.OFFLINE) {
            throw new NodeUnavailableException(
                    "node " + node.name() + " (" + node.id() + ") is offline; last heartbeat "
                            + ((node.lastHeartbeat() != null) ? node.lastHeartbeat() : "never"));
        }
        return new RouteCandidates(null, Strategy.LEAST_BUSY, List.of(node));
    }

    private List<Node> available() {
        Collection<Node> routable = this.registry.routable();
        List<Node> available = new ArrayList<>(routable.size());
        for (Node node : routable) {
            if (!this.cooldowns.isCooling(node.id())) {
                available.add(node);
            }
        }
        // Every live node failed recently: trying one beats refusing the message outright.
        return available.isEmpty() ? List.copyOf(routable) : available;
    }

    private static boolean targets(RoutingRule rule, Node node) {
        return rule.target() == null
                || rule.target().equals(node.name())
                || rule.target().equals(node.id());
    }

    private String whyNothingIsAvailable() {
        Collection<Node> all = this.registry.all();
        if (all.isEmpty()) {
            return "no nodes are registered; join one with 'claw-mesh join <coordinator-url>'";
        }
        Map<NodeStatus, Long> counts = all.stream().collect(Collectors.groupingBy(Node::status, Collectors.counting()));
        String summary = counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map((entry) -> entry.getValue() + " " + entry.getKey().wireName())
                .collect(Collectors.joining(", "));
        return "none of the " + all.size() + " registered nodes can take messages (" + summary
                + "); degraded nodes have no connected AI runtime and can still be targeted explicitly";
    }
}
