package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.Json;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** The {@code status} verb: the mesh at a glance. */
@Component
public class StatusCommands {

    private final MeshClients clients;

    public StatusCommands(MeshClients clients) {
        this.clients = clients;
    }

    @Command(
            name = "status",
            group = "Mesh",
            description = "Mesh overview: the coordinator, node counts by status, rules and messages in flight")
    public void status(CommandContext context) {
        MeshClient client = this.clients.client(context);
        List<NodeView> nodes = client.call((api) -> api.nodes());
        List<RoutingRule> rules = client.call((api) -> api.rules());
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        nodes.forEach((node) -> counts.merge(node.status(), 1, Integer::sum));
        int inflight = nodes.stream().mapToInt(NodeView::inflight).sum();
        int capacity = nodes.stream()
                .filter((node) -> node.status() != NodeStatus.OFFLINE)
                .mapToInt(NodeView::capacity)
                .sum();
        String fingerprint = caFingerprint(client);
        PrintWriter out = context.outputWriter();
        if (client.settings().json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("coordinator", client.settings().coordinator().toString());
            json.put("nodes", nodes.size());
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            for (NodeStatus status : NodeStatus.values()) {
                byStatus.put(status.wireName(), counts.getOrDefault(status, 0));
            }
            json.put("by_status", byStatus);
            json.put("rules", rules.size());
            json.put("inflight", inflight);
            json.put("capacity", capacity);
            if (fingerprint != null) {
                json.put("ca_fingerprint", fingerprint);
            }
            out.println(Json.pretty(json));
        } else {
            out.println("coordinator " + client.settings().coordinator() + ": " + plural(nodes.size(), "node") + ", "
                    + plural(rules.size(), "routing rule") + ", " + inflight + " of " + capacity
                    + " message slots in use");
            out.println(summary(nodes.size(), counts));
            if (fingerprint != null) {
                out.println("TLS: the mesh CA is " + fingerprint + " (join --ca-fingerprint " + fingerprint + ")");
            }
        }
        out.flush();
    }

    /** The CA fingerprint the coordinator tells in {@code /actuator/info}, or {@code null} without TLS. */
    @SuppressWarnings("unchecked")
    static @Nullable String caFingerprint(MeshClient client) {
        Map<String, Object> info = client.info();
        Object tls = (info != null) ? info.get("tls") : null;
        Object fingerprint = (tls instanceof Map<?, ?> map) ? map.get("ca_fingerprint") : null;
        return (fingerprint != null) ? fingerprint.toString() : null;
    }

    /** {@code 3 nodes: 2 online, 1 offline}, statuses in a fixed order, zero counts left out. */
    static String summary(int total, Map<NodeStatus, Integer> counts) {
        if (total == 0) {
            return "0 nodes: add one with claw-mesh join <coordinator-url>";
        }
        List<String> parts = new ArrayList<>();
        for (NodeStatus status : NodeStatus.values()) {
            Integer count = counts.get(status);
            if (count != null && count > 0) {
                parts.add(count + " " + status.name().toLowerCase(Locale.ROOT));
            }
        }
        return plural(total, "node") + ": " + String.join(", ", parts);
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + ((count == 1) ? "" : "s");
    }
}
