package io.clawmesh.cli;

import io.clawmesh.cli.client.EventStream;
import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.client.MeshErrors;
import io.clawmesh.cli.client.ServerSentEvent;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.output.ReplyPrinter;
import io.clawmesh.cli.output.TaskEvents;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.cli.support.Interrupts;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskRequest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;

/**
 * The {@code send} verb: route a message through the mesh and print the answer, print the answer as it is produced
 * ({@code --stream}), or hand it to the mesh as a durable task and print the task id ({@code --async}).
 */
@Component
public class SendCommands {

    private final MeshClients clients;

    private final Interrupts interrupts;

    public SendCommands(MeshClients clients, Interrupts interrupts) {
        this.clients = clients;
        this.interrupts = interrupts;
    }

    @Command(
            name = "send",
            group = "Mesh",
            description = "Send a message: --auto routes it by the rules, --node NAME sends it to one node;"
                    + " --stream prints the answer as it comes, --async queues it as a task and prints its id",
            help = "<message>...",
            completionProvider = MeshCompletions.NODES)
    public void send(
            CommandContext context,
            @Option(longName = "auto", description = "route by the rules (the default)") @Nullable Boolean autoFlag,
            @Option(longName = "node", description = "send to this node, by name or id") @Nullable String node,
            @Option(longName = "session", description = "conversation key: the same key goes to the same node")
                    @Nullable
                    String session,
            @Option(longName = "source", description = "who sends it, for the message log") @Nullable String source,
            @Option(longName = "stream", description = "print the answer as the node produces it") @Nullable
                    Boolean streamFlag,
            @Option(longName = "async", description = "queue it as a durable task and print the task id") @Nullable
                    Boolean asyncFlag,
            @Option(longName = "priority", description = "with --async: 0-9, higher first (default 5)") @Nullable
                    Integer priority,
            @Option(longName = "timeout", description = "with --async: how long the run may take (90s, 10m, PT1H)")
                    @Nullable
                    String timeout,
            @Option(longName = "match", description = "with --async: only nodes matching this, e.g. gpu:true") @Nullable
                    String match,
            @Option(
                            longName = "idempotency-key",
                            description = "with --async: the same key and message give back the same task")
                    @Nullable
                    String idempotencyKey,
            @Arguments List<String> message) {
        boolean auto = Boolean.TRUE.equals(autoFlag);
        boolean stream = Boolean.TRUE.equals(streamFlag);
        boolean async = Boolean.TRUE.equals(asyncFlag);
        if (auto && node != null) {
            throw new UsageException("send", "--auto and --node exclude each other: route by the rules or pick a node");
        }
        if (stream && async) {
            throw new UsageException("send", "--stream and --async exclude each other: follow a task with task watch");
        }
        String content = String.join(" ", message);
        if (content.isBlank()) {
            throw new UsageException("send", "the message is empty");
        }
        String from = (source != null) ? source : "claw-mesh-cli";
        if (async) {
            TaskRequest request = new TaskRequest(
                    content,
                    from,
                    session,
                    node,
                    TaskOptions.match(match),
                    TaskOptions.priority(priority),
                    TaskOptions.timeout(timeout));
            submit(context, request, TaskOptions.idempotencyKey(idempotencyKey));
            return;
        }
        TaskOptions.onlyWithAsync(priority, timeout, match, idempotencyKey);
        RouteRequest request = new RouteRequest(content, from, session);
        if (stream) {
            stream(context, node, request);
        } else {
            route(context, node, request);
        }
    }

    private void route(CommandContext context, @Nullable String node, RouteRequest request) {
        MeshClient client = this.clients.slowClient(context);
        RouteResponse response = (node != null)
                ? client.call((api) -> api.routeTo(node, request))
                : client.call((api) -> api.route(request));
        printRouted(context.outputWriter(), client.settings().json(), response);
    }

    private void submit(CommandContext context, TaskRequest request, @Nullable String idempotencyKey) {
        var tasks = this.clients.tasks(context);
        TaskAccepted accepted = tasks.submit(request, idempotencyKey);
        Output.print(
                context.outputWriter(), tasks.settings().json(), accepted, () -> Untrusted.cell(accepted.taskId()));
    }

    private void stream(CommandContext context, @Nullable String node, RouteRequest request) {
        MeshClient client = this.clients.slowClient(context);
        String path = (node != null)
                ? ApiPaths.ROUTE + "/" + UriUtils.encodePathSegment(node, StandardCharsets.UTF_8)
                : ApiPaths.ROUTE;
        PrintWriter out = context.outputWriter();
        boolean json = client.settings().json();
        try (EventStream events = client.stream("POST", path, request, null);
                AutoCloseable handle = this.interrupts.onInterrupt(events::close)) {
            if (!events.isEventStream()) {
                // a coordinator without route streaming answers as for JSON: the whole reply at once
                printRouted(out, json, TaskEvents.read(events.remainingText(), RouteResponse.class));
                return;
            }
            follow(client, events, out, json);
        } catch (CliException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new CliException(ExitCode.REFUSED, "the answer stream failed: " + ex.getMessage());
        }
    }

    private static void follow(MeshClient client, EventStream events, PrintWriter out, boolean json) {
        ReplyPrinter reply = new ReplyPrinter(out);
        boolean announced = false;
        for (ServerSentEvent event = events.next(); event != null; event = events.next()) {
            JsonNode data = TaskEvents.data(event.data());
            if (json) {
                out.println(TaskEvents.jsonLine(event.event(), event.id(), event.data(), data));
                out.flush();
            }
            switch (event.event()) {
                case TaskEventTypes.DELTA -> {
                    if (!json) {
                        reply.delta(TaskEvents.text(data, "text"), null);
                    }
                }
                case TaskEventTypes.DONE -> {
                    if (!json) {
                        reply.complete(TaskEvents.text(data, "response"));
                        if (!announced) {
                            reply.line(TaskEvents.routedTo(data));
                        } else {
                            reply.endLine();
                        }
                    }
                    return;
                }
                case TaskEventTypes.ERROR -> {
                    reply.endLine();
                    int status = data.path("status").asInt(502);
                    throw MeshErrors.refused(
                            client.settings(),
                            org.springframework.http.HttpStatusCode.valueOf(
                                    (status >= 400 && status < 600) ? status : 502),
                            event.data());
                }
                default -> {
                    if (!json && !announced && data.hasNonNull("node_id") && reply.length() == 0) {
                        reply.line(TaskEvents.routedTo(data));
                        announced = true;
                    }
                }
            }
        }
        reply.endLine();
        if (!events.isClosed()) {
            throw new CliException(
                    ExitCode.REFUSED,
                    "the answer stream from " + client.settings().coordinator() + " ended before the answer was done");
        }
    }

    private static void printRouted(PrintWriter out, boolean json, RouteResponse response) {
        Output.print(
                out,
                json,
                response,
                () -> "routed to node " + Untrusted.cell(response.nodeName()) + " (" + Untrusted.cell(response.nodeId())
                        + ")\nResponse: " + Untrusted.text(response.response()));
    }
}
