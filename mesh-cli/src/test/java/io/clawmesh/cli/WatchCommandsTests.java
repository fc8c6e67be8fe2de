package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WatchCommandsTests extends CliTestSupport {

    private static final String REGISTERED = event(
            7,
            "node.registered",
            "{\"id\":7,\"type\":\"node.registered\",\"time\":\"2026-11-24T03:00:01Z\",\"node_id\":\"node-1\","
                    + "\"node_name\":\"linux-gpu\",\"status\":\"online\"}");

    private static final String CHANGED = event(
            8,
            "node.status_changed",
            "{\"id\":8,\"type\":\"node.status_changed\",\"time\":\"2026-11-24T03:00:02Z\",\"node_id\":\"node-1\","
                    + "\"node_name\":\"linux-gpu\",\"status\":\"offline\",\"previous_status\":\"online\","
                    + "\"detail\":\"no heartbeat for 30s\"}");

    private static final String ROUTED = event(
            9,
            "message.routed",
            "{\"id\":9,\"type\":\"message.routed\",\"time\":\"2026-11-24T03:00:03Z\",\"node_id\":\"node-2\","
                    + "\"node_name\":\"mac-mini\",\"message_id\":\"msg-1\",\"outcome\":\"routed\",\"latency_ms\":12,"
                    + "\"attempts\":2,\"new_field\":1}");

    @Test
    void watchShouldPrintEventsAsLinesAndStopAfterCount() {
        this.coordinator.answer(
                "GET",
                "/api/v1/events",
                (exchange, request) -> stream(exchange, ": keep-alive\n\n" + REGISTERED + CHANGED + ROUTED, true));

        Result result = run("watch --count 3");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "03:00:01  node.registered       linux-gpu (node-1) registered as online",
                        "03:00:02  node.status_changed   linux-gpu (node-1) online -> offline: no heartbeat for 30s",
                        "03:00:03  message.routed        message msg-1 -> mac-mini (node-2) in 12ms after 2 attempts");
        FakeCoordinator.Request request = this.coordinator.last("GET", "/api/v1/events");
        assertThat(request.header("Accept")).isEqualTo("text/event-stream");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + FakeCoordinator.TOKEN);
    }

    @Test
    void watchWithJsonShouldPrintOneEventObjectPerLine() throws Exception {
        this.coordinator.answer(
                "GET", "/api/v1/events", (exchange, request) -> stream(exchange, REGISTERED + CHANGED, true));

        Result result = run("watch --count 2 --output json");

        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(2);
        Map<String, Object> second = JsonMapper.builder().build().readValue(lines.get(1), Map.class);
        assertThat(second).containsEntry("type", "node.status_changed").containsEntry("previous_status", "online");
    }

    @Test
    void watchWhenTheStreamDropsShouldResumeFromTheLastEventId() {
        AtomicInteger connections = new AtomicInteger();
        this.coordinator.answer("GET", "/api/v1/events", (exchange, request) -> {
            if (connections.incrementAndGet() == 1) {
                stream(exchange, REGISTERED, false);
            } else {
                stream(exchange, CHANGED, true);
            }
        });

        Result result = run("watch --count 2");

        assertThat(result.out()).contains("registered as online").contains("online -> offline");
        List<FakeCoordinator.Request> requests = this.coordinator.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("Last-Event-ID")).isNull();
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo("7");
    }

    @Test
    void watchWhenAnEventCarriesTerminalEscapesShouldPrintOneVisibleLine() {
        String hostile = event(
                8,
                "node.status_changed",
                "{\"id\":8,\"type\":\"node.status_changed\",\"time\":\"2026-11-24T03:00:02Z\","
                        + "\"node_id\":\"node-1\",\"node_name\":\"evil\\u001b[2J\",\"status\":\"offline\","
                        + "\"previous_status\":\"online\",\"detail\":\"gone\\n03:00:03  node.removed  forged\\u009b\"}");
        this.coordinator.answer("GET", "/api/v1/events", (exchange, request) -> stream(exchange, hostile, true));

        Result result = run("watch --count 1");

        assertThat(result.out()).doesNotContain("\u001b", "\u009b");
        assertThat(result.out().lines())
                .containsExactly("03:00:02  node.status_changed   evil\\u001b[2J (node-1) online -> offline: "
                        + "gone\\n03:00:03  node.removed  forged\\u009b");
    }

    @Test
    void watchWithJsonWhenAnEventCarriesRawControlCharactersShouldEscapeThem() throws Exception {
        String hostile = "id: 8\ndata: {\"id\":8,\"type\":\"x\",\"node_name\":\"evil\u001b[2J\u009b\u007f\"}\n\n";
        this.coordinator.answer("GET", "/api/v1/events", (exchange, request) -> stream(exchange, hostile, true));

        Result result = run("watch --count 1 --output json");

        assertThat(result.out()).doesNotContain("\u001b", "\u009b", "\u007f");
        Map<String, Object> event = JsonMapper.builder().build().readValue(result.out(), Map.class);
        assertThat(event).containsEntry("node_name", "evil\u001b[2J\u009b\u007f");
    }

    @Test
    void watchWithSinceShouldAskForTheReplay() {
        this.coordinator.answer("GET", "/api/v1/events", (exchange, request) -> stream(exchange, CHANGED, true));

        run("watch --count 1 --since 7");

        assertThat(this.coordinator.last("GET", "/api/v1/events").header("Last-Event-ID"))
                .isEqualTo("7");
    }

    @Test
    void watchWithWrongTokenShouldExitThree() {
        this.coordinator.problem("GET", "/api/v1/events", 401, "needs a bearer token");

        Result result = run("watch --count 1");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refused the operator token from --token (401)");
    }

    @Test
    void watchWhenCoordinatorIsDownShouldExitThree() {
        String url = this.coordinator.url();
        this.coordinator.close();

        Result result = runExactly("watch --count 1 --coordinator " + url);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("claw-mesh: cannot reach the coordinator at " + url);
    }

    @Test
    void watchWithNegativeCountShouldBeAUsageError() {
        Result result = run("watch --count -1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: --count must be 0 or more");
    }

    static String event(long id, String type, String data) {
        return "id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n";
    }

    /** Writes an SSE body; {@code hold} keeps the connection open afterwards, as a live stream does. */
    static void stream(com.sun.net.httpserver.HttpExchange exchange, String body, boolean hold) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(body.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (hold) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }
}
