package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.client.TaskClient;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatchExpression;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/**
 * TAB completion in the shell: node names where a node is expected ({@code send --node}, {@code node show},
 * {@code route add --target}) and rule ids where a rule is ({@code route remove}, {@code route move}), task ids after {@code task show|watch|cancel}. Asks the
 * coordinator each time; when it cannot be reached there is simply nothing to propose.
 */
@Configuration(proxyBeanMethods = false)
public class MeshCompletions {

    /** Bean name of the node name completion, for {@code @Command(completionProvider = ...)}. */
    public static final String NODES = "nodeCompletion";

    /** Bean name of the task id completion (the newest tasks). */
    public static final String TASKS = "taskCompletion";

    /** Bean name of the rule id completion. */
    public static final String RULES = "ruleCompletion";

    @Bean(NODES)
    CompletionProvider nodeCompletion(MeshClients clients) {
        return (context) -> wantsNode(context)
                ? proposals(() -> clients.launchClient().call((api) -> api.nodes()).stream()
                        .map((node) -> new CompletionProposal(node.name())
                                .description(node.id() + " " + node.status().wireName())))
                : List.of();
    }

    @Bean(RULES)
    CompletionProvider ruleCompletion(MeshClients clients) {
        return (context) -> positional(context)
                ? proposals(() -> clients.launchClient().call((api) -> api.rules()).stream()
                        .map((rule) -> new CompletionProposal(rule.id()).description(describe(rule))))
                : List.of();
    }

    @Bean(TASKS)
    CompletionProvider taskCompletion(MeshClients clients) {
        return (context) -> positional(context)
                ? proposals(() ->
                        clients.launchTasks().list(new TaskClient.TaskQuery(null, null, 50, null)).tasks().stream()
                                .map((task) -> new CompletionProposal(task.taskId())
                                        .description(task.status().wireName()
                                                + ((task.nodeName() != null) ? " on " + task.nodeName() : ""))))
                : List.of();
    }

    /** The value of {@code --node} or {@code --target}, or the argument of {@code node show|remove}. */
    static boolean wantsNode(CompletionContext context) {
        CommandOption option = context.getCommandOption();
        if (option != null) {
            return "node".equals(option.longName()) || "target".equals(option.longName());
        }
        return context.getCommand() != null
                && context.getCommand().getName().startsWith("node ")
                && positional(context);
    }

    /** A positional argument: no option before the cursor and no flag being typed. */
    static boolean positional(CompletionContext context) {
        String current = context.currentWord();
        return context.getCommandOption() == null && (current == null || !current.startsWith("-"));
    }

    private static List<CompletionProposal> proposals(java.util.function.Supplier<Stream<CompletionProposal>> lookup) {
        try {
            return lookup.get().toList();
        } catch (CliException ex) {
            return List.of();
        }
    }

    private static String describe(RoutingRule rule) {
        return RuleMatchExpression.format(rule.match()) + ((rule.target() != null) ? " -> " + rule.target() : "");
    }

    static String label(NodeView node) {
        return node.name() + " (" + node.id() + ")";
    }
}
