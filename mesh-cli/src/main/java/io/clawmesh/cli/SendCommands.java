package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** The {@code send} verb: route a message through the mesh and print the answer. */
@Component
public class SendCommands {

    private final MeshClients clients;

    public SendCommands(MeshClients clients) {
        this.clients = clients;
    }

    @Command(
            name = "send",
            group = "Mesh",
            description = "Send a message: --auto routes it by the rules, --node NAME sends it to one node",
            help = "<message>...",
            completionProvider = MeshCompletions.NODES)
    public void send(
            CommandContext context,
            @Option(longName = "auto", description = "route by the rules (the default)") boolean auto,
            @Option(longName = "node", description = "send to this node, by name or id") @Nullable String node,
            @Option(longName = "session", description = "conversation key: the same key goes to the same node")
                    @Nullable
                    String session,
            @Option(longName = "source", description = "who sends it, for the message log") @Nullable String source,
            @Arguments List<String> message) {
        if (auto && node != null) {
            throw new UsageException("send", "--auto and --node exclude each other: route by the rules or pick a node");
        }
        String content = String.join(" ", message);
        if (content.isBlank()) {
            throw new UsageException("send", "the message is empty");
        }
        MeshClient client = this.clients.slowClient(context);
        RouteRequest request = new RouteRequest(content, (source != null) ? source : "claw-mesh-cli", session);
        RouteResponse response = (node != null)
                ? client.call((api) -> api.routeTo(node, request))
                : client.call((api) -> api.route(request));
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                response,
                () -> "routed to node " + Untrusted.cell(response.nodeName()) + " (" + Untrusted.cell(response.nodeId())
                        + ")\nResponse: " + Untrusted.text(response.response()));
    }
}
