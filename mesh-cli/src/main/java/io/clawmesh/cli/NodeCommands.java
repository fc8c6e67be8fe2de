package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.MeshTables;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.output.Style;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.node.NodeView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** The node verbs: {@code nodes}, {@code node show} and {@code node remove}. */
@Component
public class NodeCommands {

    private final MeshClients clients;

    private final Clock clock;

    public NodeCommands(MeshClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Command(
            name = "nodes",
            group = "Mesh",
            description = "List every node: status, runtime, endpoint, platform, load, tags, last heartbeat")
    public void nodes(CommandContext context) {
        MeshClient client = this.clients.client(context);
        List<NodeView> nodes = client.call((api) -> api.nodes());
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                nodes,
                () -> nodes.isEmpty()
                        ? "no nodes yet: add one with claw-mesh join "
                                + client.settings().coordinator()
                        : MeshTables.nodes(nodes, this.clock.instant(), Style.detect()));
    }

    @Command(
            name = {"node", "show"},
            group = "Mesh",
            description = "Show one node, by name or id",
            help = "<node>",
            completionProvider = MeshCompletions.NODES)
    public void show(CommandContext context, @Argument(index = 0) String node) {
        MeshClient client = this.clients.client(context);
        NodeView found = find(client, node);
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                found,
                () -> MeshTables.node(found, this.clock.instant(), Style.detect()));
    }

    @Command(
            name = {"node", "remove"},
            group = "Mesh",
            description = "Remove a node from the registry (a running agent registers again)",
            help = "<node>",
            completionProvider = MeshCompletions.NODES)
    public void remove(CommandContext context, @Argument(index = 0) String node) {
        MeshClient client = this.clients.client(context);
        NodeView found = find(client, node);
        client.run((api) -> api.deregister(found.id()));
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                Map.of("removed", found.id(), "name", found.name()),
                () -> "removed node " + Untrusted.cell(MeshCompletions.label(found)));
    }

    /** A node by exact id, else by name. */
    static NodeView find(MeshClient client, String node) {
        List<NodeView> nodes = client.call((api) -> api.nodes());
        return nodes.stream()
                .filter((n) -> n.id().equals(node))
                .findFirst()
                .or(() -> nodes.stream().filter((n) -> n.name().equals(node)).findFirst())
                .orElseThrow(() -> new CliException(
                        ExitCode.REFUSED, "no node named '" + node + "' (claw-mesh nodes lists them)"));
    }
}
