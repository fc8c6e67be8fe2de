package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.jline.CommandCompleter;

class MeshCompletionsTests extends CliTestSupport {

    @Autowired
    @Qualifier(MeshCompletions.NODES)
    CompletionProvider nodes;

    @Autowired
    @Qualifier(MeshCompletions.RULES)
    CompletionProvider rules;

    @Autowired
    @Qualifier(MeshCompletions.TASKS)
    CompletionProvider tasks;

    @Autowired
    CommandCompleter completer;

    @BeforeEach
    void pointAtTheFakeCoordinator() {
        VARIABLES.put("CLAW_MESH_COORDINATOR", this.coordinator.url());
        VARIABLES.put("CLAW_MESH_TOKEN", FakeCoordinator.TOKEN);
        this.coordinator
                .json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes())
                .json("GET", "/api/v1/rules", 200, MeshJsonFixtures.twoRules());
    }

    @Test
    void nodeShowShouldCompleteNodeNames() {
        assertThat(values(this.nodes, context("node show", List.of("node", "show", ""), null)))
                .containsExactlyInAnyOrder("mac-mini", "linux-gpu", "old-box");
    }

    @Test
    void sendNodeShouldCompleteNodeNamesButNotTheMessage() {
        Command send = this.registry.getCommandByName("send");
        CommandOption node = send.getOptions().stream()
                .filter((o) -> "node".equals(o.longName()))
                .findFirst()
                .orElseThrow();
        assertThat(values(this.nodes, context("send", List.of("send", "--node", ""), node)))
                .contains("mac-mini");
        assertThat(values(this.nodes, context("send", List.of("send", ""), null)))
                .isEmpty();
    }

    @Test
    void routeRemoveShouldCompleteRuleIds() {
        assertThat(values(this.rules, context("route remove", List.of("route", "remove", ""), null)))
                .containsExactly("rule-gpu", "rule-any");
    }

    @Test
    void taskVerbsShouldCompleteTheNewestTaskIds() {
        new FakeTasks(this.coordinator)
                .add(FakeTasks.task("task-1", io.clawmesh.common.task.TaskStatus.SUCCEEDED, "mac", NOW))
                .add(FakeTasks.task("task-2", io.clawmesh.common.task.TaskStatus.RUNNING, "mac", NOW));

        assertThat(values(this.tasks, context("task cancel", List.of("task", "cancel", ""), null)))
                .containsExactly("task-2", "task-1");
        assertThat(complete("task watch task-")).containsExactly("task-2", "task-1");
        assertThat(complete("task list --st")).contains("--status");
        assertThat(complete("send --asy")).contains("--async");
    }

    @Test
    void shellCompleterShouldCompleteAnArgumentBeingTyped() {
        assertThat(complete("node show mac")).contains("mac-mini");
        assertThat(complete("route remove rule-")).containsExactly("rule-gpu", "rule-any");
        assertThat(complete("send --node ")).contains("linux-gpu");
        assertThat(complete("send --auto hel")).isEmpty();
        assertThat(complete("route add --ta")).contains("--target", "--match", "--coordinator");
    }

    private List<String> complete(String line) {
        List<Candidate> candidates = new ArrayList<>();
        this.completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void completionWhenCoordinatorIsDownShouldProposeNothing() {
        this.coordinator.close();
        assertThat(values(this.rules, context("route remove", List.of("route", "remove", ""), null)))
                .isEmpty();
    }

    private CompletionContext context(String command, List<String> words, CommandOption option) {
        return new CompletionContext(words, words.size() - 1, 0, this.registry.getCommandByName(command), option);
    }

    private static List<String> values(CompletionProvider provider, CompletionContext context) {
        return provider.apply(context).stream().map(CompletionProposal::value).toList();
    }
}
