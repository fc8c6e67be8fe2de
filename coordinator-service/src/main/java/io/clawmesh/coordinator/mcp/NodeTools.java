package io.clawmesh.coordinator.mcp;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The tools that tell an assistant what the mesh is: {@code list_nodes} and {@code list_skills}. */
@Component
class NodeTools {

    private static final String NO_ARGUMENTS = """
            {"type": "object", "properties": {}, "additionalProperties": false}""";

    private final NodeRegistry registry;

    private final InflightTracker inflight;

    NodeTools(NodeRegistry registry, InflightTracker inflight) {
        this.registry = registry;
        this.inflight = inflight;
    }

    List<SyncToolSpecification> tools() {
        return List.of(
                GuardedTool.of(
                        GuardedTool.tool(
                                "list_nodes",
                                "List the machines (nodes) of the claw-mesh: each one's name, status (online, busy,"
                                        + " degraded, offline), AI runtime, capabilities (os, arch, gpu, memory, tags, skills)"
                                        + " and how busy it is (in-flight messages of its capacity). Use a node's name"
                                        + " as the 'target' of send_message to run something on that machine.",
                                NO_ARGUMENTS,
                                true),
                        Set.of(),
                        (call) -> listNodes()),
                GuardedTool.of(
                        GuardedTool.tool(
                                "list_skills",
                                "List what the machines of the claw-mesh can do: every skill and tag their nodes"
                                        + " offer (for example a GPU, xcode or docker) with the nodes that offer it, and"
                                        + " the AI runtimes they run. Pick a node from here as the 'target' of"
                                        + " send_message when the work needs one of these.",
                                NO_ARGUMENTS,
                                true),
                        Set.of(),
                        (call) -> listSkills()));
    }

    private McpSchema.CallToolResult listNodes() {
        List<Map<String, Object>> nodes = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node node : sortedNodes()) {
            int inflightNow = Math.max(this.inflight.get(node.id()), node.reportedInflight());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", node.name());
            entry.put("id", node.id());
            entry.put("status", node.status().wireName());
            entry.put("runtime", node.runtime().kind());
            entry.put("runtime_connected", node.runtime().connected());
            entry.put("os", node.capabilities().os());
            entry.put("arch", node.capabilities().arch());
            entry.put("gpu", node.capabilities().gpu());
            entry.put("memory_gb", node.capabilities().memoryGb());
            entry.put("tags", node.capabilities().tags());
            entry.put("skills", node.capabilities().skills());
            entry.put("inflight", inflightNow);
            entry.put("capacity", node.capacity());
            nodes.add(entry);
            text.append(String.format(
                    "%s: %s, runtime %s, %s/%s%s, %d of %d busy%s%n",
                    node.name(),
                    entry.get("status"),
                    node.runtime().kind(),
                    node.capabilities().os(),
                    node.capabilities().arch(),
                    node.capabilities().gpu() ? ", gpu" : "",
                    inflightNow,
                    node.capacity(),
                    offers(node).isEmpty() ? "" : ", offers " + String.join(", ", offers(node))));
        }
        if (nodes.isEmpty()) {
            text.append("The mesh has no nodes yet.");
        }
        return GuardedTool.ok(text.toString().strip(), Map.of("nodes", nodes));
    }

    private McpSchema.CallToolResult listSkills() {
        Map<String, Set<String>> skills = new TreeMap<>();
        Map<String, Set<String>> runtimes = new TreeMap<>();
        for (Node node : sortedNodes()) {
            if (node.status() == NodeStatus.OFFLINE) {
                continue;
            }
            for (String offer : offers(node)) {
                skills.computeIfAbsent(offer, (key) -> new TreeSet<>()).add(node.name());
            }
            runtimes.computeIfAbsent(node.runtime().kind(), (key) -> new TreeSet<>())
                    .add(node.name());
        }
        List<Map<String, Object>> skillList = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        skills.forEach((name, nodes) -> {
            skillList.add(Map.of("name", name, "nodes", List.copyOf(nodes)));
            text.append(name).append(": ").append(String.join(", ", nodes)).append('\n');
        });
        List<Map<String, Object>> runtimeList = new ArrayList<>();
        runtimes.forEach((kind, nodes) -> {
            runtimeList.add(Map.of("runtime", kind, "nodes", List.copyOf(nodes)));
            text.append("runtime ")
                    .append(kind)
                    .append(": ")
                    .append(String.join(", ", nodes))
                    .append('\n');
        });
        if (text.isEmpty()) {
            text.append("No node that is not offline offers a skill or tag.");
        }
        return GuardedTool.ok(text.toString().strip(), Map.of("skills", skillList, "runtimes", runtimeList));
    }

    private List<Node> sortedNodes() {
        return this.registry.all().stream()
                .sorted(Comparator.comparing(Node::name))
                .toList();
    }

    /** Skills first, then tags, without repeats. */
    private static List<String> offers(Node node) {
        Set<String> offers = new LinkedHashSet<>(node.capabilities().skills());
        offers.addAll(node.capabilities().tags());
        return List.copyOf(offers);
    }
}
