package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
