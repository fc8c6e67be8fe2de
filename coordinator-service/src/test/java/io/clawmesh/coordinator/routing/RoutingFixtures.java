package io.clawmesh.coordinator.routing;

import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.util.ArrayList;
import java.util.List;

/** Candidate nodes for the selection tests. */
public final class RoutingFixtures {

    private RoutingFixtures() {}

    /** {@code count} idle nodes of equal capacity, ids {@code node-…01}, {@code node-…02}, … */
    public static List<Node> equalNodes(int count, int capacity) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(node(i, capacity, 0));
        }
        return nodes;
    }

    /** A node with a well-formed id derived from {@code number}. */
    public static Node node(int number, int capacity, int reportedInflight) {
        return RegistryFixtures.node(String.format("node-%016x", number), capacity, reportedInflight);
    }

    /** Requires a Linux node without a GPU. */
    public static RuleMatch gpuFalseOnLinux() {
        return new RuleMatch(false, "linux", null, null, null, null, null);
    }

    /** A match with no requirement at all, which the validator refuses. */
    public static RuleMatch emptyMatch() {
        return new RuleMatch(null, null, null, null, null, null, null);
    }
}
