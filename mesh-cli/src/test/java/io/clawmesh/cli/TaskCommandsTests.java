package io.clawmesh.cli;

import static io.clawmesh.cli.FakeTasks.ended;
import static io.clawmesh.cli.FakeTasks.life;
import static io.clawmesh.cli.FakeTasks.succeeded;
import static io.clawmesh.cli.FakeTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class TaskCommandsTests extends CliTestSupport {

    private final JsonMapper json = JsonMapper.builder().build();

    private FakeTasks tasks;

    @BeforeEach
    void serveTasks() {
        this.tasks = new FakeTasks(this.coordinator);
    }

    @Test
    void listShouldPrintATableNewestFirst() {
        this.tasks.add(task("task-1", TaskStatus.SUCCEEDED, "mac", NOW.minusSeconds(600)));
        this.tasks.add(task("task-2", TaskStatus.RUNNING, "linux-gpu", NOW.minusSeconds(62)));
        this.tasks.add(task("task-3", TaskStatus.QUEUED, null, NOW.minusSeconds(30)));

        Result result = run("task list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .containsExactly(
                        "ID      STATUS     NODE       PRIORITY  CREATED  TIME",
                        "task-3  queued     -          5         30s ago  waiting 30s",
                        "task-2  running    linux-gpu  5         1m ago   running 1m00s",
                        "task-1  succeeded  mac        5         10m ago  ran 1m03s");
    }

    @Test
    void listWithFiltersShouldAskTheCoordinatorForThem() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.add(task("task-2", TaskStatus.FAILED, "mac", NOW));

        Result result = run("task list --status running --node mac --limit 5");

        assertThat(result.out()).contains("task-1").doesNotContain("task-2");
        assertThat(this.coordinator.last("GET", "/api/v1/tasks").query())
                .contains("status=running")
                .contains("node=mac")
                .contains("limit=5");
    }

    @Test
    void listWhenThereAreMorePagesShouldNameTheCursorThatWorks() {
        for (int i = 1; i <= 3; i++) {
            this.tasks.add(task("task-" + i, TaskStatus.QUEUED, null, NOW));
        }

        Result first = run("task list --limit 2");
        Result second = run("task list --limit 2 --cursor c+/2");

        assertThat(first.out())
                .contains("task-3", "task-2")
                .endsWith("more: claw-mesh task list --cursor c+/2 (or --all)\n");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("task-1").doesNotContain("task-2", "more:");
    }

    @Test
    void listWithAllShouldFollowEveryPage() throws Exception {
        for (int i = 1; i <= 5; i++) {
            this.tasks.add(task("task-" + i, TaskStatus.SUCCEEDED, "mac", NOW));
        }

        Result result = run("task list --all --limit 2 -o json");

        assertThat(result.exitCode()).isZero();
        Map<String, Object> page = this.json.readValue(result.out(), Map.class);
        assertThat((List<?>) page.get("tasks")).hasSize(5);
        assertThat(page.get("next_cursor")).isNull();
        assertThat(this.coordinator.requests()).hasSize(3);
    }

    @Test
    void listWithJsonShouldPrintThePageAsTheApiShapesIt() throws Exception {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));

        Result result = run("task list --output json");

        Map<String, Object> page = this.json.readValue(result.out(), Map.class);
        Map<String, Object> first = ((List<Map<String, Object>>) page.get("tasks")).get(0);
        assertThat(first)
                .containsEntry("task_id", "task-1")
                .containsEntry("status", "running")
                .containsEntry("node_name", "mac");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "task list --status sleeping",
                "task list --limit 0",
                "task list --limit many",
                "task list --all --cursor c+/2",
                "task list --colour red",
                "task show ../nodes",
                "task show",
                "task watch a/b",
                "task cancel -- -x",
                "task"
            })
    void aWrongCommandLineShouldBeAUsageErrorAndSendNothing(String line) {
        Result result = run(line);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: ");
        assertThat(this.coordinator.requests()).isEmpty();
    }

    @Test
    void showShouldPrintEveryField() {
        this.tasks.add(task("task-1", TaskStatus.SUCCEEDED, "mac", NOW.minusSeconds(3600)));

        Result result = run("task show task-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .contains(
                        "id:        task-1",
                        "status:    succeeded",
                        "node:      mac (node-mac)",
                        "attempts:  1",
                        "time:      ran 1m03s",
                        "response:",
                        "done");
    }

    @Test
    void showOfAnUnknownTaskShouldExitOne() {
        Result result = run("task show task-404");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("claw-mesh: no task 'task-404' (claw-mesh task list shows them)");
    }

    @Test
    void showWhenTheTaskCarriesTerminalEscapesShouldPrintThemVisibly() {
        var evil = new io.clawmesh.common.task.TaskView(
                "task-1",
                TaskStatus.FAILED,
                "node-1",
                "evil\u001b[2J",
                1,
                5,
                NOW,
                NOW,
                NOW,
                null,
                "crashed\n\u009b31mforged line");
        this.tasks.add(evil);

        Result result = run("task show task-1");

        assertThat(result.out()).doesNotContain("\u001b", "\u009b");
        assertThat(result.out())
                .contains("node:      evil\\u001b[2J (node-1)", "error:     crashed\\n\\u009b31mforged line");
    }

    @Test
    void watchShouldPrintStatusLinesThenTheReplyAndExitZero() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.script("task-1", life("mac", succeeded("Hello world"), "Hello", " world"));

        Result result = run("task watch task-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .containsExactly(
                        "queued (priority 5)",
                        "assigned to node mac (node-mac), attempt 1",
                        "started on node mac (node-mac)",
                        "Hello world");
        FakeCoordinator.Request request = this.coordinator.last("GET", "/api/v1/tasks/task-1/events");
        assertThat(request.header("Accept")).contains("text/event-stream");
        assertThat(request.header("Last-Event-ID")).isNull();
    }

    @Test
    void watchWhenTheConnectionDropsShouldResumeFromTheLastEventAndPrintNothingTwice() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.script("task-1", life("mac", succeeded("Hello world"), "Hel", "lo", " wor", "ld"));
        this.tasks.dropFirstConnectionAfter("task-1", 4);

        Result result = run("task watch task-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .containsExactly(
                        "queued (priority 5)",
                        "assigned to node mac (node-mac), attempt 1",
                        "started on node mac (node-mac)",
                        "Hello world");
        List<FakeCoordinator.Request> streams = this.coordinator.requests().stream()
                .filter((r) -> r.path().endsWith("/events"))
                .toList();
        assertThat(streams).hasSize(2);
        assertThat(streams.get(1).header("Last-Event-ID")).isEqualTo("d3");
    }

    @Test
    void watchWhenTheStreamKeepsDroppingShouldGiveUpAfterBoundedTries() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.coordinator.answer(
                "GET",
                "/api/v1/tasks/task-1/events",
                (exchange, request) -> WatchCommandsTests.stream(exchange, "retry: 1\n\n", false));

        Result result = run("task watch task-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("claw-mesh: lost the event stream of task task-1 after 5 tries");
        assertThat(this.coordinator.requests()).hasSize(TaskWatcher.MAX_TRIES + 1);
    }

    @Test
    void watchWhenTheTaskFailsShouldExitOneWithItsError() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.script(
                "task-1", life("mac", ended(TaskEventTypes.TIMED_OUT, "ran past its 10m timeout\nforged"), "partial"));

        Result result = run("task watch task-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).endsWith("partial\n");
        assertThat(result.err()).isEqualTo("claw-mesh: task task-1 timed out: ran past its 10m timeout\\nforged\n");
    }

    @Test
    void watchWithJsonShouldPrintOneEventPerLine() throws Exception {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.script("task-1", life("mac", succeeded("hi"), "hi"));

        Result result = run("task watch task-1 -o json");

        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(5);
        Map<String, Object> delta = this.json.readValue(lines.get(3), Map.class);
        assertThat(delta)
                .containsEntry("event", "delta")
                .containsEntry("id", "d2")
                .containsEntry("data", Map.of("text", "hi"));
    }

    @Test
    void watchWhenTheReplyCarriesTerminalEscapesShouldShowThemAndKeepItsLines() {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));
        this.tasks.script(
                "task-1", life("evil\u001b]0;x\u0007", succeeded("a\n\u001b[2Jb\u009b"), "a\n", "\u001b[2Jb\u009b"));

        Result result = run("task watch task-1");

        assertThat(result.out()).doesNotContain("\u001b", "\u0007", "\u009b");
        assertThat(result.out().lines())
                .contains(
                        "started on node evil\\u001b]0;x\\u0007 (node-evil\\u001b]0;x\\u0007)",
                        "a",
                        "\\u001b[2Jb\\u009b");
    }

    @Test
    void watchOfAnUnknownTaskShouldExitOne() {
        Result result = run("task watch task-404");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("claw-mesh: no task 'task-404'");
    }

    @Test
    void cancelOfAQueuedTaskShouldSayItIsCanceled() {
        this.tasks.add(task("task-1", TaskStatus.QUEUED, null, NOW));

        Result result = run("task cancel task-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("canceled task task-1\n");
        assertThat(this.coordinator.last("DELETE", "/api/v1/tasks/task-1")).isNotNull();
    }

    @Test
    void cancelOfARunningTaskShouldSayTheAbortIsOnItsWay() throws Exception {
        this.tasks.add(task("task-1", TaskStatus.RUNNING, "mac", NOW));

        Result text = run("task cancel task-1");
        Result json = run("task cancel task-1 -o json");

        assertThat(text.out()).startsWith("cancel requested for task task-1: its node aborts the run");
        assertThat(this.json.readValue(json.out(), Map.class)).containsEntry("status", "running");
    }

    @Test
    void cancelOfAFinishedTaskShouldExitOneWithAClearLine() {
        this.tasks.add(task("task-1", TaskStatus.SUCCEEDED, "mac", NOW));

        Result result = run("task cancel task-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("claw-mesh: task task-1 has already finished, nothing to cancel: task task-1 already"
                        + " succeeded (409)\n");
    }

    @Test
    void cancelOfAnUnknownTaskShouldExitOne() {
        Result result = run("task cancel task-404");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("claw-mesh: no task 'task-404'");
    }

    @Test
    void aTaskVerbWithoutTokenShouldExitThree() {
        Result result = runExactly("task list --coordinator " + this.coordinator.url());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("needs the operator token");
    }

    @Test
    void aTaskVerbWithAWrongTokenShouldExitThree() {
        Result result = runExactly("task show task-1 --token wrong --coordinator " + this.coordinator.url());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refused the operator token from --token (401)");
    }

    @Test
    void aTaskVerbWithANodeTokenShouldExitThree() {
        Result result = runExactly("send --async hi --token node-token --coordinator " + this.coordinator.url());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("is not the operator token (403)");
        assertThat(this.tasks.submitted()).isEmpty();
    }

    @Test
    void aTaskVerbWhenTheCoordinatorIsDownShouldExitThree() {
        String url = this.coordinator.url();
        this.coordinator.close();

        Result result = runExactly("task watch task-1 --token t --coordinator " + url);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("claw-mesh: cannot reach the coordinator at " + url);
    }

    @Test
    void helpShouldListTheTaskVerbsAndTheirFlags() {
        Result overview = run("help");
        Result list = run("task list --help");

        assertThat(overview.out()).contains("Tasks:", "task list", "task show", "task watch", "task cancel");
        assertThat(list.out())
                .contains(
                        "usage: claw-mesh task list [--status STATUS] [--node NODE] [--limit N] [--all] [--cursor CURSOR]");
    }
}
