package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The assistant on one machine hands work to another (issue 15), with a real OpenClaw gateway (opt-in:
 * {@code ./mvnw -Pe2e-openclaw verify}): node {@code ay} runs the gateway, node {@code bee} an echo runtime. The
 * coordinator registers the mesh as an MCP server by seed sync ({@code mesh.seed.mcp.register}); {@code ay}'s agent
 * merges that entry into the gateway's config, which the gateway hot-reloads; the gateway's environment holds a
 * client key made through the keys API. A message routed to {@code ay} makes its fake model call the mesh's
 * {@code send_message} tool with target {@code bee} (found through OpenClaw's {@code tool_search}, called through
 * {@code tool_call}), and the reply that comes back from {@code ay} carries {@code bee}'s answer.
 */
@EnabledIfSystemProperty(named = "e2e.openclaw", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenClawMcpEndToEndTests {

    private static final String GATEWAY_TOKEN = "e2e-gateway-" + UUID.randomUUID();

    private static final String ASSISTANT = "ay";

    private static final String WORKER = "bee";

    private static final String KEY_NAME = "ay-assistant";

    private static final String KEY_ENV = "CLAW_MESH_MCP_KEY";

    private static final String ECHO = "[claw-mesh echo] ";

    private final JsonMapper json = JsonMapper.builder().build();

    private ToolCallingModelServer model;

    private OpenClawGatewayProcess gateway;

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private RestClient api;

    private RestClient assistantAgent;

    private String key;

    @BeforeAll
    void startMeshWithAGatewayOnOneNode(@TempDir Path workDir) throws Exception {
        this.model = new ToolCallingModelServer();
        this.cluster = new MeshCluster(workDir);
        this.coordinator =
                this.cluster.startCoordinator(MeshCluster.freePort(), List.of("--mesh.seed.mcp.register=true"));
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        this.key = this.json
                .readTree(this.api
                        .post()
                        .uri(ApiPaths.KEYS)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("name", KEY_NAME))
                        .retrieve()
                        .body(String.class))
                .path("secret")
                .asString();
        Path cache = Path.of(System.getProperty(
                "e2e.openclaw.cache",
                Path.of(System.getProperty("user.home"), ".cache", "claw-mesh-e2e")
                        .toString()));
        // the gateway's config is the file ay's seed sync writes into (OPENCLAW_CONFIG_PATH of both)
        this.gateway = OpenClawGatewayProcess.prepare(
                cache,
                Files.createDirectories(this.cluster.agentOpenClawDir(ASSISTANT)),
                MeshCluster.freePort(),
                GATEWAY_TOKEN,
                this.model.port());
        this.gateway.environment(KEY_ENV, this.key);
        this.gateway.start();
        this.cluster.startAgent(
                WORKER,
                MeshCluster.freePort(),
                this.coordinator.port(),
                "echo",
                Map.of(),
                List.of("--mesh.agent.runtime=echo"));
        MeshProcess assistant = this.cluster.startAgent(
                ASSISTANT,
                MeshCluster.freePort(),
                this.coordinator.port(),
                "openclaw",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=openclaw",
                        "--mesh.agent.gateway-endpoint=127.0.0.1:" + this.gateway.port(),
                        "--mesh.agent.gateway-token=" + GATEWAY_TOKEN,
                        "--mesh.agent.gateway-transport=websocket",
                        "--mesh.agent.gateway-timeout=4m"));
        this.assistantAgent = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(assistant.baseUrl())
                .build();
        awaitOnline(WORKER);
        awaitOnline(ASSISTANT);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
        if (this.gateway != null) {
            this.gateway.close();
        }
        if (this.model != null) {
            OpenClawGatewayProcess.step("model calls: " + this.model.steps().size() + ", requests to anything else: "
                    + this.model.otherRequests());
            this.model.close();
        }
    }

    @Test
    @Order(1)
    void seedSyncWhenRegisterIsOnShouldPutTheMeshIntoTheGatewaysConfigWhichTheGatewayHotReloads() throws Exception {
        Awaitility.await("seed sync writing the mesh into " + this.gateway.config())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Files.readString(this.gateway.config()).contains("\"claw-mesh\""));
        String written = Files.readString(this.gateway.config());
        JsonNode server =
                this.json.readTree(written).path("mcp").path("servers").path("claw-mesh");

        assertThat(server.path("url").asString()).isEqualTo(this.coordinator.baseUrl() + ApiPaths.MCP);
        assertThat(server.path("transport").asString()).isEqualTo("streamable-http");
        assertThat(server.path("headers").path("Authorization").asString()).isEqualTo("Bearer ${" + KEY_ENV + "}");
        assertThat(written).as("the key itself never travels with seed sync").doesNotContain(this.key);
        assertThat(this.json.readTree(written).path("models").path("providers").has("fake"))
                .as("the gateway's own settings stay")
                .isTrue();
        Awaitility.await("the gateway hot-reloading mcp.servers")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Files.readString(this.gateway.log()).contains("config hot reload applied (mcp.servers)"));
        OpenClawGatewayProcess.step(
                "seed sync merged mcp.servers.claw-mesh (" + server.path("url").asString()
                        + ") into the gateway's config; the gateway hot-reloaded it without a restart");
    }

    @Test
    @Order(2)
    void messageToTheAssistantWhenItsModelCallsSendMessageShouldComeBackWithTheOtherNodesReply() {
        String content = "what is six times seven " + nonce();
        String prompt = "hand to " + WORKER + ": " + content;

        Instant start = Instant.now();
        RouteResponse response = route(prompt);

        assertThat(response.nodeName()).isEqualTo(ASSISTANT);
        assertThat(response.response()).startsWith("node answered: ").contains(ECHO + content);
        assertThat(this.model.stepsFor(prompt))
                .extracting(ToolCallingModelServer.Step::action)
                .as("the model found the mesh's tool through OpenClaw's tool search and called it")
                .containsExactly("tool_search", "tool_call mcp:claw-mesh:claw-mesh__send_message", "answer");
        assertThat(this.model.stepsFor(prompt).getLast().toolResult())
                .as("the tool result OpenClaw handed to the model")
                .contains("\"node_name\": \"" + WORKER + "\"", "\"status\": \"succeeded\"", ECHO + content);
        JsonNode task = onlyTaskOfTheKeyOn(WORKER, content);
        assertThat(task.path("status").asString()).isEqualTo("succeeded");
        assertThat(task.path("response").asString()).isEqualTo(ECHO + content);
        Awaitility.await("the key's use counted")
                .atMost(Duration.ofSeconds(10))
                .until(() -> keyView().path("use_count").asInt() > 0);
        OpenClawGatewayProcess.step("message " + response.messageId() + " to " + ASSISTANT + " came back in "
                + Duration.between(start, Instant.now()).toMillis() + " ms with " + WORKER + "'s reply (task "
                + task.path("task_id").asString() + ", submitted with the client key " + KEY_NAME + "); model steps: "
                + this.model.stepsFor(prompt).stream()
                        .map(ToolCallingModelServer.Step::action)
                        .toList());
    }

    @Test
    @Order(3)
    void revokedKeyShouldCutTheAssistantOffTheMeshAtOnce() throws Exception {
        int tasksBefore = tasksOn(WORKER).size();
        int logLines = Files.readAllLines(this.gateway.log()).size();
        assertThat(this.api
                        .delete()
                        .uri(ApiPaths.KEY, KEY_NAME)
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(200);
        String content = "after the revocation " + nonce();
        String prompt = "hand to " + WORKER + ": " + content;

        RouteResponse response = route(prompt);

        assertThat(response.nodeName()).isEqualTo(ASSISTANT);
        assertThat(response.response()).doesNotContain(ECHO);
        assertThat(this.model.stepsFor(prompt))
                .extracting(ToolCallingModelServer.Step::action)
                .as("the gateway could not list the mesh's tools with the revoked key")
                .containsExactly("tool_search", "answer");
        assertThat(tasksOn(WORKER)).as("nothing reached " + WORKER).hasSize(tasksBefore);
        assertThat(this.model.otherRequests())
                .as("nothing but completions reached the loopback model")
                .isZero();
        List<String> log = Files.readAllLines(this.gateway.log());
        OpenClawGatewayProcess.step("after revoking " + KEY_NAME + " the assistant answered '" + response.response()
                + "' and " + WORKER + " got no task; the gateway logged: "
                + log.subList(logLines, log.size()).stream()
                        .filter((line) -> line.contains("bundle-mcp"))
                        .toList());
    }

    @Test
    @Order(4)
    void gatewayWhenTheKeyVariableIsMissingShouldNotReachTheMesh() throws Exception {
        this.gateway.close();
        this.gateway.withoutEnvironment(KEY_ENV);
        int logLines = Files.readAllLines(this.gateway.log()).size();
        this.gateway.start();
        awaitAssistantConnected();
        int tasksBefore = tasksOn(WORKER).size();
        String content = "without the variable " + nonce();
        String prompt = "hand to " + WORKER + ": " + content;

        RouteResponse response = route(prompt);

        assertThat(response.response()).doesNotContain(ECHO);
        assertThat(this.model.stepsFor(prompt))
                .extracting(ToolCallingModelServer.Step::action)
                .as("the gateway could not list the mesh's tools without a token")
                .containsExactly("tool_search", "answer");
        assertThat(tasksOn(WORKER)).as("nothing reached " + WORKER).hasSize(tasksBefore);
        List<String> log = Files.readAllLines(this.gateway.log());
        List<String> sinceRestart = log.subList(logLines, log.size());
        assertThat(sinceRestart)
                .as("the gateway's log since its restart names the missing variable")
                .anySatisfy((line) -> assertThat(line).contains(KEY_ENV));
        OpenClawGatewayProcess.step("without " + KEY_ENV + " the gateway logged: "
                + sinceRestart.stream()
                        .filter((line) -> line.contains(KEY_ENV) || line.contains("bundle-mcp"))
                        .toList());
    }

    private void awaitAssistantConnected() {
        Awaitility.await(ASSISTANT + " connected to the restarted gateway")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> this.json
                        .readTree(this.assistantAgent
                                .get()
                                .uri("/healthz")
                                .retrieve()
                                .body(String.class))
                        .path("status")
                        .asString("")
                        .equals("ok"));
        awaitOnline(ASSISTANT);
    }

    private RouteResponse route(String content) {
        return this.api
                .post()
                .uri(ApiPaths.ROUTE_TO_NODE, ASSISTANT)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest(content, "e2e", null))
                .retrieve()
                .body(RouteResponse.class);
    }

    /** The one task on {@code node} the client key sees (it lists only its own), fetched with the key. */
    private JsonNode onlyTaskOfTheKeyOn(String node, String content) {
        RestClient asKey = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + this.key)
                .build();
        JsonNode tasks = this.json
                .readTree(asKey.get()
                        .uri(ApiPaths.TASKS + "?node={node}", node)
                        .retrieve()
                        .body(String.class))
                .path("tasks");
        assertThat(tasks).as("the key's tasks on " + node).hasSize(1);
        JsonNode task = this.json.readTree(asKey.get()
                .uri(ApiPaths.TASK, tasks.get(0).path("task_id").asString())
                .retrieve()
                .body(String.class));
        assertThat(task.path("node_name").asString()).isEqualTo(node);
        assertThat(task.path("response").asString()).endsWith(content);
        return task;
    }

    private List<JsonNode> tasksOn(String node) {
        JsonNode tasks = this.json
                .readTree(this.api
                        .get()
                        .uri(ApiPaths.TASKS + "?node={node}", node)
                        .retrieve()
                        .body(String.class))
                .path("tasks");
        List<JsonNode> list = new ArrayList<>();
        tasks.forEach(list::add);
        return list;
    }

    private JsonNode keyView() {
        for (JsonNode key :
                this.json.readTree(this.api.get().uri(ApiPaths.KEYS).retrieve().body(String.class))) {
            if (KEY_NAME.equals(key.path("name").asString())) {
                return key;
            }
        }
        throw new IllegalStateException("no key " + KEY_NAME);
    }

    private void awaitOnline(String name) {
        try {
            Awaitility.await(name + " online")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        NodeView node = node(name);
                        return node != null && node.status() == NodeStatus.ONLINE;
                    });
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    ex.getMessage() + "\n--- gateway ---\n" + this.gateway.logTail() + this.cluster.logs(), ex);
        }
    }

    private @Nullable NodeView node(String name) {
        for (NodeView node : this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class)) {
            if (name.equals(node.name())) {
                return node;
            }
        }
        return null;
    }

    private static String nonce() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
