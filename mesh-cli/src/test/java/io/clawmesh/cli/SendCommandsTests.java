package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.cli.parsing.CommandLineWords;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.task.TaskRequest;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.test.ShellAssertions;
import tools.jackson.databind.json.JsonMapper;

class SendCommandsTests extends CliTestSupport {

    private static final String ANSWER = """
            {"message_id":"msg-1","node_id":"node-0a1b2c3d4e5f6a7b","node_name":"linux-gpu",
             "response":"[claw-mesh echo] hello mesh"}""";

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void sendAutoShouldRouteAndPrintNodeThenResponse() throws Exception {
        this.coordinator.json("POST", "/api/v1/route", 200, ANSWER);

        var screen = shell("send --auto \"hello mesh\"");

        assertThat(screen.lines())
                .containsExactly(
                        "routed to node linux-gpu (node-0a1b2c3d4e5f6a7b)", "Response: [claw-mesh echo] hello mesh");
        Map<String, Object> body = this.json.readValue(
                this.coordinator.last("POST", "/api/v1/route").body(), Map.class);
        assertThat(body).containsEntry("content", "hello mesh").containsEntry("source", "claw-mesh-cli");
    }

    @Test
    void sendFromTheOperatingSystemShouldKeepAQuotedMessageWhole() {
        this.coordinator.json("POST", "/api/v1/route", 200, ANSWER);

        Result result = runWords(List.of(
                "send",
                "--auto",
                "hello   mesh --not-a-flag",
                "--coordinator",
                this.coordinator.url(),
                "--token",
                FakeCoordinator.TOKEN));

        assertThat(result.exitCode()).isZero();
        assertThat(this.coordinator.last("POST", "/api/v1/route").body()).contains("\"hello   mesh --not-a-flag\"");
    }

    @Test
    void sendToNodeShouldUseTheNodePathAndSessionKey() throws Exception {
        this.coordinator.json("POST", "/api/v1/route/mac", 200, ANSWER);

        Result result = run("send --node mac --session chat-7 what is up");

        assertThat(result.exitCode()).isZero();
        Map<String, Object> body = this.json.readValue(
                this.coordinator.last("POST", "/api/v1/route/mac").body(), Map.class);
        assertThat(body).containsEntry("content", "what is up").containsEntry("session_key", "chat-7");
    }

    @Test
    void sendWithJsonShouldPrintTheRouteResponse() throws Exception {
        this.coordinator.json("POST", "/api/v1/route", 200, ANSWER);

        Result result = run("send hi --output=json");

        Map<String, Object> response = this.json.readValue(result.out(), Map.class);
        assertThat(response).containsEntry("node_name", "linux-gpu").containsEntry("message_id", "msg-1");
    }

    @Test
    void sendWhenTheReplyCarriesTerminalEscapesShouldKeepItsLinesAndShowTheEscapes() {
        this.coordinator.json("POST", "/api/v1/route", 200, """
                {"message_id":"msg-1","node_id":"node-1","node_name":"evil\\u001b[2J",
                 "response":"line one\\n\\tline two\\u001b]0;pwned\\u0007\\r\\u009b2Jforged\\u007f"}""");

        Result result = run("send --auto hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).doesNotContain("\u001b", "\u0007", "\r", "\u009b", "\u007f");
        assertThat(result.out().lines())
                .containsExactly(
                        "routed to node evil\\u001b[2J (node-1)",
                        "Response: line one",
                        "\tline two\\u001b]0;pwned\\u0007\\r\\u009b2Jforged\\u007f");
    }

    @Test
    void sendWhenNoNodeIsAvailableShouldExitOneWithTheProblemDetail() {
        this.coordinator.problem("POST", "/api/v1/route", 503, "no node is available: 2 nodes, all offline");

        Result result = run("send --auto hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("claw-mesh: no node is available: 2 nodes, all offline (503)\n");
    }

    @Test
    void sendWithAutoAndNodeShouldBeAUsageError() {
        Result result = run("send --auto --node mac hello");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("--auto and --node exclude each other")
                .contains("usage: claw-mesh send");
        assertThat(this.coordinator.requests()).isEmpty();
    }

    @Test
    void sendWithoutMessageShouldBeAUsageError() {
        Result result = run("send --auto");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: 'send' needs <message>...");
    }

    @Test
    void sendNodeWithoutValueShouldBeAUsageError() {
        Result result = runExactly("send --node");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: --node needs a value");
    }

    @Test
    void helpOfSendShouldShowItsFlags() throws Exception {
        ShellAssertions.assertThat(shell("send --help"))
                .containsText("usage: claw-mesh send [--auto] [--node NODE]")
                .containsText("--session SESSION")
                .containsText("--coordinator URL");
    }

    private static final String DONE = "event: done\ndata: {\"message_id\":\"msg-1\",\"node_id\":\"node-1\","
            + "\"node_name\":\"linux-gpu\",\"response\":\"Hello world\"}\n\n";

    static String delta(String json) {
        return "event: delta\ndata: {\"text\":" + json + "}\n\n";
    }

    @Test
    void sendStreamShouldPrintTheTextAsItArrivesThenTheNode() throws Exception {
        StringWriter out = new StringWriter();
        CountDownLatch firstPiecePrinted = new CountDownLatch(1);
        this.coordinator.answer("POST", "/api/v1/route", (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write(delta("\"Hello\"").getBytes(StandardCharsets.UTF_8));
            body.flush();
            // the rest only once the CLI has printed the first piece: it prints as text arrives
            boolean printed = await(firstPiecePrinted, out, "Hello");
            body.write((printed ? delta("\" world\"") + DONE : "").getBytes(StandardCharsets.UTF_8));
            body.close();
        });

        ExitCode code = this.executor.execute(
                CommandLineWords.split("send --stream hello --coordinator " + this.coordinator.url() + " --token "
                        + FakeCoordinator.TOKEN),
                new PrintWriter(out),
                new PrintWriter(new StringWriter()),
                new InputReader() {});

        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(out.toString().lines()).containsExactly("Hello world", "routed to node linux-gpu (node-1)");
        FakeCoordinator.Request request = this.coordinator.last("POST", "/api/v1/route");
        assertThat(request.header("Accept")).startsWith("text/event-stream");
        assertThat(this.json.readValue(request.body(), Map.class)).containsEntry("content", "hello");
    }

    @Test
    void sendStreamShouldNameTheNodeBeforeTheReplyWhenTheCoordinatorSaysItFirst() {
        String started = "event: started\ndata: {\"node_id\":\"node-1\",\"node_name\":\"linux-gpu\"}\n\n";
        this.coordinator.answer(
                "POST",
                "/api/v1/route",
                (exchange, request) -> WatchCommandsTests.stream(
                        exchange, started + delta("\"Hello\"") + delta("\" world\"") + DONE, false));

        Result result = run("send --stream hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("routed to node linux-gpu (node-1)\nHello world\n");
    }

    @Test
    void sendStreamToANodeShouldUseTheNodePath() {
        this.coordinator.answer(
                "POST",
                "/api/v1/route/mac mini",
                (exchange, request) -> WatchCommandsTests.stream(exchange, delta("\"hi\"") + DONE, false));

        Result result = run("send --stream --node \"mac mini\" hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("hi\nrouted to node linux-gpu (node-1)\n");
    }

    @Test
    void sendStreamWhenTheRouteFailsMidwayShouldExitOneWithTheProblem() {
        String error = "event: error\ndata: {\"type\":\"urn:clawmesh:problem:runtime-failure\",\"status\":502,"
                + "\"detail\":\"the runtime crashed\\n\\u001b[2Jforged\"}\n\n";
        this.coordinator.answer(
                "POST",
                "/api/v1/route",
                (exchange, request) -> WatchCommandsTests.stream(exchange, delta("\"partial\"") + error, false));

        Result result = run("send --stream hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("partial\n");
        assertThat(result.err()).isEqualTo("claw-mesh: the runtime crashed\\n\\u001b[2Jforged (502)\n");
    }

    @Test
    void sendStreamWhenTheStreamEndsEarlyShouldExitOne() {
        this.coordinator.answer(
                "POST",
                "/api/v1/route",
                (exchange, request) -> WatchCommandsTests.stream(exchange, delta("\"partial\""), false));

        Result result = run("send --stream hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("ended before the answer was done");
    }

    @Test
    void sendStreamWhenTheTextCarriesTerminalEscapesShouldShowThem() {
        this.coordinator.answer(
                "POST",
                "/api/v1/route",
                (exchange, request) -> WatchCommandsTests.stream(
                        exchange, delta("\"line\\n\\u001b]0;pwned\\u0007\\r\\u009b2J\"") + DONE, false));

        Result result = run("send --stream hello");

        assertThat(result.out()).doesNotContain("\u001b", "\u0007", "\r", "\u009b");
        assertThat(result.out().lines()).startsWith("line", "\\u001b]0;pwned\\u0007\\r\\u009b2J");
    }

    @Test
    void sendStreamWithJsonShouldPrintOneEventPerLine() throws Exception {
        this.coordinator.answer(
                "POST",
                "/api/v1/route",
                (exchange, request) -> WatchCommandsTests.stream(exchange, delta("\"Hello world\"") + DONE, false));

        Result result = run("send --stream hello -o json");

        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(this.json.readValue(lines.get(1), Map.class)).containsEntry("event", "done");
    }

    @Test
    void sendStreamWhenTheCoordinatorAnswersJsonShouldPrintTheWholeAnswer() {
        this.coordinator.json("POST", "/api/v1/route", 200, ANSWER);

        Result result = run("send --stream hello");

        assertThat(result.out().lines())
                .containsExactly(
                        "routed to node linux-gpu (node-0a1b2c3d4e5f6a7b)", "Response: [claw-mesh echo] hello mesh");
    }

    @Test
    void sendStreamWhenRefusedShouldExitLikeSend() {
        this.coordinator.problem("POST", "/api/v1/route", ProblemType.NO_ROUTE, "no node is available");

        Result result = run("send --stream hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("claw-mesh: no node is available (503)\n");
    }

    @Test
    void sendAsyncShouldSubmitATaskAndPrintItsId() {
        FakeTasks tasks = new FakeTasks(this.coordinator);

        Result result = run("send --async --node mac --session s-1 --priority 7 --timeout 10m --match gpu:true"
                + " --idempotency-key key-1 summarise the logs");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("task-1\n");
        assertThat(tasks.submitted())
                .containsExactly(
                        new TaskRequest("summarise the logs", "claw-mesh-cli", "s-1", "mac", "gpu:true", 7, "10m"));
        assertThat(this.coordinator.last("POST", "/api/v1/tasks").header("Idempotency-Key"))
                .isEqualTo("key-1");
    }

    @Test
    void sendAsyncTwiceWithTheSameKeyShouldGiveTheSameTask() throws Exception {
        FakeTasks tasks = new FakeTasks(this.coordinator);

        Result first = run("send --async --idempotency-key key-1 hello");
        Result second = run("send --async --idempotency-key key-1 hello -o json");

        assertThat(first.out()).isEqualTo("task-1\n");
        assertThat(this.json.readValue(second.out(), Map.class))
                .containsEntry("task_id", "task-1")
                .containsEntry("status", "queued")
                .containsEntry(
                        "links", Map.of("self", "/api/v1/tasks/task-1", "events", "/api/v1/tasks/task-1/events"));
        assertThat(tasks.submitted()).hasSize(1);
    }

    @Test
    void sendAsyncWithTheKeyOfAnotherMessageShouldExitOne() {
        new FakeTasks(this.coordinator);
        run("send --async --idempotency-key key-1 hello");

        Result result = run("send --async --idempotency-key key-1 goodbye");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("claw-mesh: the idempotency key names another task");
    }

    @Test
    void sendAsyncWhenTheQueueIsFullShouldSayWhenToRetry() {
        this.coordinator.answer("POST", "/api/v1/tasks", (exchange, request) -> {
            exchange.getResponseHeaders().set("Retry-After", "30");
            FakeCoordinator.send(
                    exchange,
                    429,
                    "application/problem+json",
                    "{\"type\":\"urn:clawmesh:problem:queue-full\",\"status\":429,\"detail\":\"10000 tasks queued\"}");
        });

        Result result = run("send --async hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("claw-mesh: the task queue is full: 10000 tasks queued (429); try again in 30s\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "send --stream --async hello",
                "send --async --priority 10 hello",
                "send --async --priority -1 hello",
                "send --async --priority high hello",
                "send --async --timeout 600 hello",
                "send --async --timeout 0s hello",
                "send --async --timeout PT-5S hello",
                "send --async --timeout soon hello",
                "send --async --match gpu:maybe hello",
                "send --async --idempotency-key \"a b\" hello",
                "send --priority 3 hello",
                "send --stream --timeout 10m hello",
                "send --async --stream=yes hello"
            })
    void aWrongTaskFlagShouldBeAUsageErrorAndSendNothing(String line) {
        Result result = run(line);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: ").contains("usage: claw-mesh send");
        assertThat(this.coordinator.requests()).isEmpty();
    }

    private static boolean await(CountDownLatch latch, StringWriter out, String text) {
        for (int i = 0; i < 500 && !out.toString().contains(text); i++) {
            try {
                latch.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return out.toString().contains(text);
    }
}
