package io.clawmesh.coordinator.routing;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
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

    /**
     * Candidates for a task (SPEC §16): its {@code target} node (by id or name) if it names one, narrowed by its
     * {@code match}; else the nodes matching its {@code match}; else the rules as for {@link #resolve()}. An empty
     * list means that no candidate is available right now and the task waits; it is never an error.
     *
     * @throws InvalidInputException for a {@code group:} target (groups do not exist yet)
     * @throws NodeNotFoundException when the target node does not exist (any more)
     */
    public RouteCandidates resolveTask(@Nullable String target, @Nullable RuleMatch match) {
        if (target != null) {
            Node node = taskTarget(target);
            boolean usable =
                    node.status() != NodeStatus.OFFLINE && (match == null || match.matches(node.capabilities()));
            return new RouteCandidates(null, Strategy.LEAST_BUSY, usable ? List.of(node) : List.of());
        }
        if (match != null) {
            List<Node> matching = new ArrayList<>();
            for (Node node : available()) {
                if (match.matches(node.capabilities())) {
                    matching.add(node);
                }
            }
            return new RouteCandidates(null, Strategy.LEAST_BUSY, matching);
        }
        try {
            return resolve();
        } catch (NoRouteAvailableException ex) {
            return new RouteCandidates(null, Strategy.LEAST_BUSY, List.of());
        }
    }

    /**
     * Checks at submission that a task's {@code target} and {@code match} can ever be met by a registered node, in any
     * status (an offline node may come back).
     *
     * @throws InvalidInputException for a {@code group:} target, or when no registered node matches
     * @throws NodeNotFoundException when the target node does not exist
     */
    public void requireTaskPlacement(@Nullable String target, @Nullable RuleMatch match) {
        if (target != null) {
            Node node = taskTarget(target);
            if (match != null && !match.matches(node.capabilities())) {
                throw new InvalidInputException("the target node " + node.name() + " does not match '"
                        + RuleMatchExpression.format(match) + "'");
            }
            return;
        }
        if (match != null && this.registry.all().stream().noneMatch((node) -> match.matches(node.capabilities()))) {
            throw new InvalidInputException("no registered node matches '"
                    + RuleMatchExpression.format(match) + "' (of "
                    + this.registry.all().size() + " nodes); the task would never run");
        }
    }

    private Node taskTarget(String target) {
        if (target.startsWith("group:")) {
            throw new InvalidInputException("groups are not supported yet: target a node by id or name, or use match");
        }
        return this.registry.findByIdOrName(target).orElseThrow(() -> new NodeNotFoundException(target));
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
