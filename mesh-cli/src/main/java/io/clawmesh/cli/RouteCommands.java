package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.MeshTables;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** The routing rule verbs: {@code route list}, {@code route add}, {@code route remove} and {@code route move}. */
@Component
public class RouteCommands {

    private final MeshClients clients;

    public RouteCommands(MeshClients clients) {
        this.clients = clients;
    }

    @Command(
            name = {"route", "list"},
            group = "Routing",
            description = "List the routing rules in the order they are tried")
    public void list(CommandContext context) {
        MeshClient client = this.clients.client(context);
        List<RoutingRule> rules = client.call((api) -> api.rules());
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                rules,
                () -> rules.isEmpty()
                        ? "no rules: every message goes to the least busy node (add one with claw-mesh route add)"
                        : MeshTables.rules(rules));
    }

    @Command(
            name = {"route", "add"},
            group = "Routing",
            description = "Add a rule at the end: messages go to nodes matching --match (gpu:true, os:linux,"
                    + " skill:docker, arch:arm64, tag:eu, memory:16, or * for all), narrowed to --target",
            completionProvider = MeshCompletions.NODES)
    public void add(
            CommandContext context,
            @Option(
                            longName = "match",
                            required = true,
                            description = "what a node needs, e.g. gpu:true or os:linux,skill:docker")
                    String match,
            @Option(longName = "target", description = "node name or id the rule sends to") @Nullable String target,
            @Option(
                            longName = "strategy",
                            description = "least-busy, round-robin, random, weighted or sticky",
                            defaultValue = "least-busy")
                    String strategy) {
        RuleMatch parsed;
        Strategy chosen;
        try {
            parsed = RuleMatchExpression.parse(match);
            chosen = Strategy.fromWire(strategy);
        } catch (InvalidInputException ex) {
            throw new UsageException("route add", ex.getMessage());
        }
        MeshClient client = this.clients.client(context);
        RoutingRule rule = client.call((api) -> api.addRule(new RuleRequest(parsed, target, chosen)));
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                rule,
                () -> "added rule " + rule.id() + ": "
                        + RuleMatchExpression.format(rule.match())
                        + ((rule.target() != null) ? " -> " + rule.target() : "")
                        + " (" + rule.strategy().wireName() + ")");
    }

    @Command(
            name = {"route", "remove"},
            group = "Routing",
            description = "Remove a rule by id",
            help = "<rule-id>",
            completionProvider = MeshCompletions.RULES)
    public void remove(CommandContext context, @Argument(index = 0) String id) {
        MeshClient client = this.clients.client(context);
        client.run((api) -> api.deleteRule(id));
        Output.print(
                context.outputWriter(), client.settings().json(), Map.of("removed", id), () -> "removed rule " + id);
    }

    @Command(
            name = {"route", "move"},
            group = "Routing",
            description = "Move a rule to another position (0 is tried first)",
            help = "<rule-id>",
            completionProvider = MeshCompletions.RULES)
    public void move(
            CommandContext context,
            @Argument(index = 0) String id,
            @Option(longName = "position", required = true, description = "the new zero-based position") int position) {
        MeshClient client = this.clients.client(context);
        List<RoutingRule> rules = client.call((api) -> api.moveRule(id, new MoveRuleRequest(position)));
        Output.print(context.outputWriter(), client.settings().json(), rules, () -> MeshTables.rules(rules));
    }
}
