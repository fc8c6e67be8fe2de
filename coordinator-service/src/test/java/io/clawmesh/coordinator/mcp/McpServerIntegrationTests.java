package io.clawmesh.coordinator.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.tasks.FakeTaskAgent;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The MCP server through the official MCP Java SDK client over real HTTP: tools listed with their schemas, each tool
 * called against a coordinator whose node is a fake agent on loopback, bad arguments as tool errors, and the reply
 * streamed as progress notifications.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + McpTestSupport.OPERATOR,
            "mesh.security.join-token=" + McpTestSupport.JOIN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h",
            "mesh.registry.full-refresh=1h",
            "mesh.mcp.reply-wait=3s"
        })
@DirtiesContext
class McpServerIntegrationTests {

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final List<FakeTaskAgent> agents = new ArrayList<>();

    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

    private McpSyncClient client;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @AfterEach
    void stop() {
        if (this.client != null) {
            this.client.close();
        }
        this.agents.forEach(FakeTaskAgent::close);
        this.jdbc.update("DELETE FROM tasks");
        for (String id : this.jdbc.queryForList("SELECT id FROM nodes", String.class)) {
            McpTestSupport.send(
                    this.port,
                    "DELETE",
                    "/api/v1/nodes/" + id,
                    null,
                    Map.of("Authorization", "Bearer " + McpTestSupport.OPERATOR));
        }
    }

    @Test
    void listToolsShouldDescribeEveryToolWithItsSchema() {
        McpSchema.ListToolsResult tools = client().listTools();

        assertThat(tools.tools())
                .extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrder("list_nodes", "list_skills", "send_message", "get_task", "cancel_task");
        McpSchema.Tool send = tools.tools().stream()
                .filter((tool) -> tool.name().equals("send_message"))
                .findFirst()
                .orElseThrow();
        assertThat(send.description()).contains("reply").contains("get_task");
        assertThat(send.inputSchema()).containsEntry("required", List.of("content"));
        assertThat(((Map<?, ?>) send.inputSchema().get("properties"))
                        .keySet().stream().map(String::valueOf))
                .containsExactlyInAnyOrder("content", "target", "session_key", "wait");
    }

    @Test
    void listNodesShouldShowEachNodeWithItsCapabilitiesAndLoad() {
        node("gpu-box", FakeTaskAgent.start(), List.of("gpu-skill"));

        CallToolResult result = call("list_nodes", Map.of());

        assertThat(result.isError()).isFalse();
        assertThat(text(result))
                .contains("gpu-box: online")
                .contains("0 of 4 busy")
                .contains("gpu-skill");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes =
                (List<Map<String, Object>>) ((Map<String, Object>) result.structuredContent()).get("nodes");
        assertThat(nodes).singleElement().satisfies((node) -> {
            assertThat(node).containsEntry("name", "gpu-box").containsEntry("capacity", 4);
            assertThat(node).containsEntry("gpu", true).containsEntry("skills", List.of("gpu-skill"));
        });
    }

    @Test
    void listSkillsShouldNameTheNodesThatOfferEachSkill() {
        node("mac", FakeTaskAgent.start(), List.of("xcode"));
        node("linux", FakeTaskAgent.start(), List.of("docker"));

        CallToolResult result = call("list_skills", Map.of());

        assertThat(result.isError()).isFalse();
        assertThat(text(result)).contains("xcode: mac").contains("docker: linux");
    }

    @Test
    void sendMessageShouldAnswerTheNodesReplyAndStreamItAsProgress() {
        node("worker", FakeTaskAgent.start().chunks("Hello", ", ", "mesh"), List.of());

        CallToolResult result = client().callTool(McpSchema.CallToolRequest.builder("send_message")
                .arguments(Map.of("content", "greet", "target", "worker"))
                .progressToken("p-1")
                .build());

        assertThat(result.isError()).as(text(result)).isFalse();
        assertThat(text(result)).isEqualTo("Hello, mesh");
        assertThat(structured(result)).containsEntry("status", "succeeded").containsEntry("node_name", "worker");
        // The Java SDK's sync client hands each notification to its consumer on a thread of its own, so they can
        // arrive out of order; the progress value, which MCP requires to grow, is what puts them back in order.
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(this.progress).hasSize(3));
        List<McpSchema.ProgressNotification> inOrder = this.progress.stream()
                .sorted(Comparator.comparingDouble(McpSchema.ProgressNotification::progress))
                .toList();
        assertThat(inOrder).extracting(McpSchema.ProgressNotification::message).containsExactly("Hello", ", ", "mesh");
        assertThat(inOrder).extracting(McpSchema.ProgressNotification::progress).containsExactly(5.0, 7.0, 11.0);
        assertThat(this.progress)
                .extracting(McpSchema.ProgressNotification::progressToken)
                .containsOnly("p-1");
    }

    @Test
    void sendMessageWithoutWaitingShouldAnswerTheTaskIdThatGetTaskFollows() {
        node("worker", FakeTaskAgent.start().chunks("later"), List.of());

        CallToolResult sent = call("send_message", Map.of("content", "work", "wait", false));

        assertThat(sent.isError()).as(text(sent)).isFalse();
        String taskId = (String) structured(sent).get("task_id");
        assertThat(text(sent)).contains(taskId).contains("get_task");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CallToolResult task = call("get_task", Map.of("task_id", taskId));
            assertThat(task.isError()).isFalse();
            assertThat(text(task)).isEqualTo("later");
        });
    }

    @Test
    void sendMessageWhoseReplyTakesLongerThanTheWaitShouldAnswerTheRunningTaskAndCancelTaskStopsIt() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("part").holdAll(true);
        node("slow", agent, List.of());

        CallToolResult sent = call("send_message", Map.of("content", "long work"));

        assertThat(sent.isError()).as(text(sent)).isFalse();
        assertThat(structured(sent)).containsEntry("status", "running");
        assertThat(text(sent)).contains("did not come within 3 s");
        String taskId = (String) structured(sent).get("task_id");
        CallToolResult canceled = call("cancel_task", Map.of("task_id", taskId));
        assertThat(canceled.isError()).as(text(canceled)).isFalse();
        assertThat(text(canceled)).contains(taskId).contains("canceled");
        assertThat(structured(canceled)).containsEntry("status", "canceled");
        Awaitility.await("the run stopped on its node")
                .atMost(Duration.ofSeconds(10))
                .until(() -> "canceled".equals(agent.status(taskId)));
        CallToolResult again = call("cancel_task", Map.of("task_id", taskId));
        assertThat(again.isError()).isTrue();
        assertThat(text(again)).contains("already finished");
    }

    @Test
    void badArgumentsShouldBeToolErrorsThatSayWhatIsWrong() {
        node("worker", FakeTaskAgent.start(), List.of());

        assertToolError(call("send_message", Map.of()), "content");
        assertToolError(call("send_message", Map.of("content", "   ")), "content");
        assertToolError(call("send_message", Map.of("content", 42)), "content");
        assertToolError(call("send_message", Map.of("content", "x", "wait", "yes")), "wait");
        assertToolError(call("send_message", Map.of("content", "x", "colour", "red")), "colour");
        assertToolError(call("send_message", Map.of("content", "x", "target", "no-such-node")), "no-such-node");
        assertToolError(call("send_message", Map.of("content", "x".repeat(600 * 1024))), "content");
        assertToolError(call("get_task", Map.of()), "task_id");
        assertToolError(call("get_task", Map.of("task_id", "task-00000000000000000000")), "no task with id");
        assertToolError(call("get_task", Map.of("task_id", "../../etc/passwd")), "no task with id");
        assertToolError(call("cancel_task", Map.of("task_id", "task-00000000000000000000")), "no task with id");
        assertToolError(call("list_nodes", Map.of("all", true)), "all");
    }

    private static void assertToolError(CallToolResult result, String mentioned) {
        assertThat(result.isError()).as(text(result)).isTrue();
        assertThat(text(result)).contains(mentioned);
    }

    private CallToolResult call(String tool, Map<String, Object> arguments) {
        return client().callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    private McpSyncClient client() {
        if (this.client == null) {
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                            "http://127.0.0.1:" + this.port)
                    .endpoint("/mcp")
                    .requestBuilder(
                            HttpRequest.newBuilder().header("Authorization", "Bearer " + McpTestSupport.OPERATOR))
                    .build();
            this.client = McpClient.sync(transport)
                    .requestTimeout(Duration.ofSeconds(20))
                    .progressConsumer(this.progress::add)
                    .build();
            this.client.initialize();
        }
        return this.client;
    }

    private void node(String name, FakeTaskAgent agent, List<String> skills) {
        this.agents.add(agent);
        McpTestSupport.register(this.port, name, agent.endpoint(), skills);
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }
}
