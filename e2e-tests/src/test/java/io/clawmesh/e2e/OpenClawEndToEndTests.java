package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.task.TaskAccepted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
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
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OpenClaw gateway behind a real coordinator and agent (opt-in: {@code ./mvnw -Pe2e-openclaw verify}). Node and
 * {@code openclaw} come from the npm registry into {@code ~/.cache/claw-mesh-e2e} (or {@code -De2e.openclaw.cache});
 * the gateway runs on loopback with the DNS guard and answers with a fake model written in Java, so every reply is
 * checkable: {@code echo: <prompt>}.
 */
@EnabledIfSystemProperty(named = "e2e.openclaw", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenClawEndToEndTests {

    private static final String GATEWAY_TOKEN = "e2e-gateway-" + UUID.randomUUID();

    private static final String AGENT = "claw";

    private static final Set<String> FINAL_TASK_EVENTS = Set.of("succeeded", "failed", "canceled", "timed_out");

    private final JsonMapper json = JsonMapper.builder().build();

    private FakeModelServer model;

    private OpenClawGatewayProcess gateway;

    private MeshCluster cluster;

    private MeshProcess agent;

    private RestClient api;

    private String coordinatorUrl;

    private RestClient agentApi;

    @BeforeAll
    void startMeshWithRealOpenClaw(@TempDir Path workDir) throws Exception {
        this.model = new FakeModelServer();
        Path cache = Path.of(System.getProperty(
                "e2e.openclaw.cache",
                Path.of(System.getProperty("user.home"), ".cache", "claw-mesh-e2e")
                        .toString()));
        this.gateway = OpenClawGatewayProcess.prepare(
                cache,
                Files.createDirectories(workDir.resolve("openclaw")),
                MeshCluster.freePort(),
                GATEWAY_TOKEN,
                this.model.port());
        this.gateway.start();
        this.cluster = new MeshCluster(workDir);
        MeshProcess coordinator = this.cluster.startCoordinator(MeshCluster.freePort());
        this.coordinatorUrl = coordinator.baseUrl();
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        this.agent = this.cluster.startAgent(
                AGENT,
                MeshCluster.freePort(),
                coordinator.port(),
                "openclaw",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=openclaw",
                        "--mesh.agent.gateway-endpoint=127.0.0.1:" + this.gateway.port(),
                        "--mesh.agent.gateway-token=" + GATEWAY_TOKEN,
                        "--mesh.agent.gateway-transport=websocket",
                        "--mesh.agent.gateway-timeout=4m"));
        this.agentApi = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.agent.baseUrl())
                .build();
        awaitNode(NodeStatus.ONLINE, Duration.ofSeconds(60));
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
            OpenClawGatewayProcess.step("model calls: " + this.model.calls().size()
                    + ", requests to anything else (ClawHub redirect): " + this.model.otherRequests());
            this.model.close();
        }
    }

    @Test
    @Order(1)
    void nodeReportsTheOpenClawRuntimeConnected() {
        NodeView node = awaitNode(NodeStatus.ONLINE, Duration.ofSeconds(10));

        assertThat(node.runtime().kind()).isEqualTo("openclaw");
        assertThat(node.runtime().version()).isEqualTo(OpenClawGatewayProcess.OPENCLAW_VERSION);
        assertThat(node.runtime().connected()).isTrue();
        OpenClawGatewayProcess.step("node " + AGENT + " online with runtime " + node.runtime());
    }

    @Test
    @Order(2)
    void routedMessageIsAnsweredByTheModelThroughTheGateway() {
        String prompt = "hello from the mesh " + nonce();
        int before = this.model.calls().size();

        Instant start = Instant.now();
        RouteResponse response = route(new RouteRequest(prompt, "e2e", null));

        assertThat(response.nodeName()).isEqualTo(AGENT);
        assertThat(response.response()).isEqualTo("echo: " + prompt);
        assertThat(this.model.calls()).hasSize(before + 1);
        assertThat(this.model.calls().getLast().prompt()).isEqualTo(prompt);
        OpenClawGatewayProcess.step("reply '" + response.response() + "' in "
                + Duration.between(start, Instant.now()).toMillis() + " ms (message " + response.messageId() + ")");
    }

    @Test
    @Order(3)
    void twoMessagesWithOneSessionKeyFormOneConversation() {
        String session = "e2e-conversation-" + nonce();
        String first = "first turn " + nonce();
        String second = "second turn " + nonce();

        assertThat(route(new RouteRequest(first, "e2e", session)).response()).isEqualTo("echo: " + first);
        assertThat(route(new RouteRequest(second, "e2e", session)).response()).isEqualTo("echo: " + second);

        FakeModelServer.Call call = this.model.calls().getLast();
        assertThat(call.prompt()).isEqualTo(second);
        assertThat(call.conversation())
                .as("the model saw the first turn and its answer")
                .anySatisfy((line) -> assertThat(line).startsWith("user:").contains(first))
                .contains("assistant: echo: " + first);
        OpenClawGatewayProcess.step("session " + session + ": the second model call carried "
                + call.conversation().size() + " messages, including the first exchange");
    }

    @Test
    @Order(4)
    void retriedMessageIdIsNotRunTwiceEvenAfterTheAgentRestarts() throws Exception {
        String id = "e2e-retry-" + nonce();
        String prompt = "run me once " + nonce();
        AgentMessageResponse first = deliver(id, prompt);
        int calls = this.model.calls().size();

        this.agent.stop();
        this.agent.start();
        this.cluster.awaitHttpOk(this.agent, this.agent.baseUrl() + "/healthz");
        awaitAgentConnected();
        AgentMessageResponse retried = deliver(id, prompt);

        assertThat(first.response()).isEqualTo("echo: " + prompt);
        assertThat(retried.response()).isEqualTo(first.response());
        assertThat(this.model.calls())
                .as("the gateway answered the retried id from its idempotency cache")
                .hasSize(calls);
        OpenClawGatewayProcess.step("message " + id + " delivered twice (agent restarted in between): one model call");
    }

    @Test
    @Order(5)
    void aTaskRunsOnTheGatewayAndItsStreamedDeltasMakeUpItsResponse() throws Exception {
        String prompt = "slow-stream task " + nonce() + " one two three";
        int before = this.model.calls().size();
        String id = submitTask(prompt);

        SseEvents.Stream stream = SseEvents.get(
                this.coordinatorUrl + ApiPaths.TASKS + "/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of(),
                FINAL_TASK_EVENTS);

        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.names()).startsWith("queued", "assigned", "started").endsWith("succeeded");
        assertThat(stream.first("assigned").text("node_name")).isEqualTo(AGENT);
        String response = stream.last().text("response");
        assertThat(response).isEqualTo("echo: " + prompt);
        assertThat(stream.deltas()).as("the deltas concatenated").isEqualTo(response);
        assertThat(stream.names().stream().filter("delta"::equals).count())
                .as("the reply arrived in pieces as the model streamed it")
                .isGreaterThan(1);
        assertThat(task(id).path("response").asString()).isEqualTo(response);
        assertThat(this.model.calls()).hasSize(before + 1);
        OpenClawGatewayProcess.step("task " + id + ": " + stream.names().size() + " events, "
                + stream.names().stream().filter("delta"::equals).count() + " deltas, response '" + response + "'");
    }

    @Test
    @Order(6)
    void cancelingARunningTaskOnTheGatewayEndsItCanceled() throws Exception {
        String prompt =
                "slow-stream cancel " + nonce() + " " + "word ".repeat(30).strip();
        String id = submitTask(prompt);
        Awaitility.await("the model streaming the task's reply")
                .atMost(Duration.ofSeconds(60))
                .until(() -> this.model.calls().stream()
                        .anyMatch((call) -> call.prompt().equals(prompt)));

        ResponseEntity<String> cancel =
                this.api.delete().uri(ApiPaths.TASKS + "/{id}", id).retrieve().toEntity(String.class);

        assertThat(cancel.getStatusCode().value()).as(cancel.toString()).isEqualTo(200);
        assertThat(this.json.readTree(cancel.getBody()).path("status").asString())
                .isEqualTo("canceled");
        assertThat(task(id).path("status").asString()).isEqualTo("canceled");
        // Not asserted (open): that the gateway closed the fake model's stream after chat.abort. On 2026.9.6 the model
        // did not see its stream closed within 30 s of the cancel (run of 2026-12-06); whether the agent's chat.abort
        // was confirmed is in the agent's log ("chat.abort confirmed"), not yet checked by this test.
        OpenClawGatewayProcess.step("task " + id + " canceled on the real gateway; aborted model streams so far: "
                + this.model.aborts().size());
    }

    @Test
    @Order(7)
    void gatewayKilledMidStreamMakesTheNodeDegradedAndTheRunRecoversAfterItsRestart() throws Exception {
        awaitNode(NodeStatus.ONLINE, Duration.ofSeconds(30));
        String prompt = "slow-stream " + nonce() + " one two three four five six seven eight";
        int before = this.model.calls().size();
        CompletableFuture<RouteResponse> reply = CompletableFuture.supplyAsync(
                () -> route(new RouteRequest(prompt, "e2e", null)),
                (task) -> Thread.ofVirtual().start(task));
        Awaitility.await("the model streaming")
                .atMost(Duration.ofSeconds(60))
                .until(() -> this.model.calls().size() > before);

        Instant killed = Instant.now();
        this.gateway.kill();
        OpenClawGatewayProcess.step("gateway killed (SIGKILL, children included) while the model was streaming");
        awaitNode(NodeStatus.DEGRADED, Duration.ofSeconds(30));
        OpenClawGatewayProcess.step(
                "node degraded after " + Duration.between(killed, Instant.now()).toMillis() + " ms");

        this.gateway.start();
        NodeView back = awaitNode(NodeStatus.ONLINE, Duration.ofSeconds(120));
        assertThat(back.runtime().connected()).isTrue();
        OpenClawGatewayProcess.step(
                "node online again " + Duration.between(killed, Instant.now()).toMillis() + " ms after the kill");

        RouteResponse recovered = reply.get(4, java.util.concurrent.TimeUnit.MINUTES);
        // the gateway resumes the interrupted turn itself (a new run id in the message's session) and wraps the
        // prompt ("[Queued user message from a previous active turn …]"); the agent follows that run
        assertThat(recovered.response()).startsWith("echo: ").contains(prompt);
        OpenClawGatewayProcess.step("the interrupted message was answered after the restart: '" + recovered.response()
                + "' (" + (this.model.calls().size() - before) + " model calls for it)");
        String after = "after the restart " + nonce();
        assertThat(route(new RouteRequest(after, "e2e", null)).response()).isEqualTo("echo: " + after);
        assertThat(this.model.otherRequests())
                .as("nothing but completions reached the loopback model")
                .isZero();
    }

    private String submitTask(String prompt) {
        ResponseEntity<TaskAccepted> accepted = this.api
                .post()
                .uri(ApiPaths.TASKS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", prompt, "target", AGENT))
                .retrieve()
                .toEntity(TaskAccepted.class);
        assertThat(accepted.getStatusCode().value()).isEqualTo(202);
        return accepted.getBody().taskId();
    }

    private JsonNode task(String id) {
        return this.json.readTree(
                this.api.get().uri(ApiPaths.TASKS + "/{id}", id).retrieve().body(String.class));
    }

    private RouteResponse route(RouteRequest request) {
        return this.api
                .post()
                .uri(ApiPaths.ROUTE_TO_NODE, AGENT)
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(RouteResponse.class);
    }

    /** Delivers straight to the agent, as the coordinator does, with the node's delivery credential. */
    private AgentMessageResponse deliver(String id, String content) throws Exception {
        JsonNode identity = this.json.readTree(Files.readString(this.cluster.identityFile(AGENT)));
        String credential = NodeCredentials.deliveryCredential(
                NodeCredentials.hash(identity.path("token").asString()),
                identity.path("node_id").asString());
        return this.agentApi
                .post()
                .uri(ApiPaths.AGENT_MESSAGES)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + credential)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new AgentMessageRequest(id, content, "e2e", null, Instant.now()))
                .retrieve()
                .body(AgentMessageResponse.class);
    }

    private void awaitAgentConnected() {
        Awaitility.await("agent connected to the gateway")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> this.json
                        .readTree(this.agentApi.get().uri("/healthz").retrieve().body(String.class))
                        .path("status")
                        .asString("")
                        .equals("ok"));
    }

    private NodeView awaitNode(NodeStatus status, Duration atMost) {
        try {
            Awaitility.await(AGENT + " " + status)
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> node() != null && node().status() == status);
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    ex.getMessage() + "\n--- gateway ---\n" + this.gateway.logTail() + this.cluster.logs(), ex);
        }
        return node();
    }

    private NodeView node() {
        NodeView[] nodes = this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class);
        for (NodeView node : nodes) {
            if (AGENT.equals(node.name())) {
                return node;
            }
        }
        return null;
    }

    private static String nonce() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
