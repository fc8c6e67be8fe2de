package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Agents that dial out (SPEC §17, ADR 0010), with real processes: a coordinator that refuses private and loopback
 * endpoints serves routed messages, streams, tasks and cancels through an agent that opens no port; a killed agent
 * goes offline within the grace and comes back as the same node; and a mesh of inbound and outbound nodes spreads
 * load over both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundEndToEndTests {

    private static final Duration WORD_DELAY = Duration.ofMillis(60);

    private static final Duration GRACE = Duration.ofSeconds(2);

    private static final Set<String> FINAL_TASK_EVENTS = Set.of("succeeded", "failed", "canceled", "timed_out");

    private SlowModelServer model;

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private int coordinatorPort;

    private int agentPort;

    private RestClient api;

    private Path workDir;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.workDir = workDir;
        this.model = new SlowModelServer(WORD_DELAY);
        this.cluster = new MeshCluster(workDir);
        this.coordinatorPort = MeshCluster.freePort();
        // no --allow-private: the coordinator could never dial an agent on this machine
        this.coordinator = this.cluster.startCoordinator(
                this.coordinatorPort,
                List.of(
                        "--mesh.security.allow-private=false",
                        "--mesh.outbound.grace=" + GRACE.toMillis() + "ms",
                        // so that only the connection's grace can mark the node offline quickly
                        "--mesh.health.heartbeat-timeout=60s"));
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        this.agentPort = MeshCluster.freePort();
        startOutboundAgent();
        awaitStatus("out-a", NodeStatus.ONLINE);
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
        if (this.model != null) {
            this.model.close();
        }
    }

    @Test
    @Order(1)
    void anOutboundAgentOpensNoPortAndItsNodeSaysOutboundWithoutAnEndpoint() {
        NodeView node = node("out-a");
        assertThat(node.connect()).isEqualTo(ConnectMode.OUTBOUND);
        assertThat(node.endpoint()).isEmpty();
        assertThat(listens(this.agentPort))
                .as("nothing listens on the agent's port")
                .isFalse();
        assertThat(this.coordinator.logContains("(link version 2)"))
                .as("the agent announced link version 2 and the coordinator took it: " + this.coordinator.logTail())
                .isTrue();
    }

    @Test
    @Order(2)
    void aRoutedMessageGoesDownTheAgentsConnectionAndItsReplyComesBack() {
        String prompt = "outbound one two three";
        ResponseEntity<Map> answer = this.api
                .post()
                .uri(ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", prompt))
                .retrieve()
                .toEntity(Map.class);
        assertThat(answer.getStatusCode().value())
                .as(String.valueOf(answer.getBody()))
                .isEqualTo(200);
        assertThat(answer.getBody()).containsEntry("node_name", "out-a");
        assertThat(answer.getBody()).containsEntry("response", SlowModelServer.replyTo(prompt));
    }

    @Test
    @Order(3)
    void aStreamedRouteAndATaskStreamTheirDeltasAsTheyComeOverTheConnection() throws Exception {
        String routed = "streamed one two three four five six";
        SseEvents.Stream route = SseEvents.post(
                this.coordinator.baseUrl() + ApiPaths.ROUTE,
                MeshCluster.OPERATOR_TOKEN,
                "{\"content\":\"" + routed + "\"}",
                Set.of("done", "error"));
        assertThat(route.status()).as(route.errorBody()).isEqualTo(200);
        assertThat(route.last().name()).isEqualTo("done");
        assertThat(route.deltas()).isEqualTo(SlowModelServer.replyTo(routed));
        assertThat(Duration.ofNanos(
                        route.last().readAtNanos() - route.first("delta").readAtNanos()))
                .as("the deltas arrived while the model was still writing")
                .isGreaterThan(WORD_DELAY.multipliedBy(3));

        String prompt = "task one two three four five six seven";
        String id = submit(prompt).getBody().taskId();
        SseEvents.Stream stream = SseEvents.get(
                this.coordinator.baseUrl() + "/api/v1/tasks/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of(),
                FINAL_TASK_EVENTS);
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.names().getLast()).isEqualTo("succeeded");
        assertThat(stream.names().stream().filter("delta"::equals).count()).isGreaterThan(3);
        assertThat(stream.deltas()).isEqualTo(SlowModelServer.replyTo(prompt));
        assertThat(task(id).nodeName()).isEqualTo("out-a");
    }

    @Test
    @Order(4)
    void cancelingATaskOnAnOutboundNodeStopsTheRunOnTheModel() {
        String prompt = "cancel-me " + "word ".repeat(40).strip();
        String id = submit(prompt).getBody().taskId();
        Awaitility.await("task running")
                .atMost(Duration.ofSeconds(20))
                .until(() -> task(id).status() == TaskStatus.RUNNING && this.model.callsFor(prompt) == 1);
        ResponseEntity<String> cancel =
                this.api.delete().uri("/api/v1/tasks/{id}", id).retrieve().toEntity(String.class);
        assertThat(cancel.getStatusCode().is2xxSuccessful())
                .as(cancel.toString())
                .isTrue();
        assertThat(awaitFinished(id).status()).isEqualTo(TaskStatus.CANCELED);
        Awaitility.await("the model saw its stream closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.model.aborts().contains(prompt));
        assertThat(this.model.completed()).doesNotContain(prompt);
    }

    @Test
    @Order(4)
    void aClientThatLeavesAPlainChatCompletionGetsTheRunCanceledOnTheOutboundNode() throws Exception {
        // about 6 s of streaming at the model's pace, far longer than the client stays
        String prompt = "leave-outbound " + "word ".repeat(100).strip();
        byte[] body = ("{\"model\":\"mesh/node/out-a\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt
                        + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        URI base = URI.create(this.coordinator.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getAuthority()
                            + "\r\nAuthorization: Bearer " + MeshCluster.OPERATOR_TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            Awaitility.await("the model runs the message")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> this.model.calls().contains(prompt));
        }

        Awaitility.await("the run canceled down the agent's connection: the model saw its stream closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.model.aborts().contains(prompt));
        assertThat(this.model.completed()).doesNotContain(prompt);
        assertThat(this.model.callsFor(prompt)).as("never sent again").isOne();
    }

    @Test
    @Order(5)
    void aKilledAgentGoesOfflineWithinTheGraceAndComesBackAsTheSameNode() throws Exception {
        String nodeId = node("out-a").id();
        MeshProcess agent = this.cluster.processes().stream()
                .filter((process) -> process.name().equals("out-a") && process.isAlive())
                .findFirst()
                .orElseThrow();
        Instant killed = Instant.now();
        agent.kill();
        awaitStatus("out-a", NodeStatus.OFFLINE);
        assertThat(Duration.between(killed, Instant.now()))
                .as("offline after the grace, long before the 60 s heartbeat timeout")
                .isLessThan(GRACE.plusSeconds(8));

        startOutboundAgent();
        awaitStatus("out-a", NodeStatus.ONLINE);
        List<NodeView> nodes = nodes();
        assertThat(nodes).hasSize(1);
        assertThat(nodes.getFirst().id()).as("the same node id, no duplicate").isEqualTo(nodeId);
        ResponseEntity<Map> answer = this.api
                .post()
                .uri(ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", "after restart"))
                .retrieve()
                .toEntity(Map.class);
        assertThat(answer.getStatusCode().value())
                .as(String.valueOf(answer.getBody()))
                .isEqualTo(200);
    }

    @Test
    @Order(6)
    void aMeshOfInboundAndOutboundNodesSpreadsLoadOverBoth() throws Exception {
        MeshCluster mixed = new MeshCluster(this.workDir.resolve("mixed"));
        try (mixed) {
            int port = MeshCluster.freePort();
            MeshProcess mixedCoordinator = mixed.startCoordinator(port);
            mixed.startAgent(
                    "in-b", MeshCluster.freePort(), port, "", Map.of(), List.of("--mesh.agent.connect=inbound"));
            mixed.startAgent(
                    "out-b", MeshCluster.freePort(), port, "", Map.of(), List.of("--mesh.agent.connect=outbound"));
            RestClient mixedApi = RestClient.builder()
                    .requestFactory(new JdkClientHttpRequestFactory())
                    .baseUrl(mixedCoordinator.baseUrl())
                    .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                    .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                    .build();
            Awaitility.await("both nodes online")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () -> Arrays.asList(mixedApi.get()
                                    .uri(ApiPaths.NODES)
                                    .retrieve()
                                    .body(NodeView[].class)),
                            (list) -> list.size() == 2
                                    && list.stream().allMatch((node) -> node.status() == NodeStatus.ONLINE));
            Map<String, ConnectMode> modes = new HashMap<>();
            for (NodeView node : mixedApi.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class)) {
                modes.put(node.name(), node.connect());
            }
            assertThat(modes).containsEntry("in-b", ConnectMode.INBOUND).containsEntry("out-b", ConnectMode.OUTBOUND);
            Map<String, Integer> served = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                ResponseEntity<Map> answer = mixedApi.post()
                        .uri(ApiPaths.ROUTE)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("content", "spread " + i))
                        .retrieve()
                        .toEntity(Map.class);
                assertThat(answer.getStatusCode().value())
                        .as(String.valueOf(answer.getBody()))
                        .isEqualTo(200);
                served.merge(String.valueOf(answer.getBody().get("node_name")), 1, Integer::sum);
            }
            assertThat(served)
                    .as("ties broken at random: both kinds of node serve")
                    .containsOnlyKeys("in-b", "out-b");
        }
    }

    private void startOutboundAgent() throws IOException {
        this.cluster.startAgent(
                "out-a",
                this.agentPort,
                this.coordinatorPort,
                "",
                Map.of(),
                List.of(
                        "--mesh.agent.connect=outbound",
                        "--mesh.agent.runtime=openai",
                        "--mesh.agent.api-base=" + this.model.apiBase(),
                        "--mesh.agent.api-model=slow",
                        "--mesh.agent.link.ping-interval=1s",
                        "--mesh.agent.link.watchdog=5s"));
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private ResponseEntity<TaskAccepted> submit(String content) {
        return this.api
                .post()
                .uri(ApiPaths.TASKS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", content))
                .retrieve()
                .toEntity(TaskAccepted.class);
    }

    private TaskView task(String id) {
        return this.api.get().uri("/api/v1/tasks/{id}", id).retrieve().body(TaskView.class);
    }

    private TaskView awaitFinished(String id) {
        return Awaitility.await("task " + id + " finished")
                .atMost(Duration.ofSeconds(60))
                .until(() -> task(id), (task) -> task != null && task.status().finished());
    }

    private List<NodeView> nodes() {
        return Arrays.asList(this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class));
    }

    private NodeView node(String name) {
        return nodes().stream()
                .filter((node) -> node.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private void awaitStatus(String name, NodeStatus status) {
        Awaitility.await(name + " " + status.wireName())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodes().stream().anyMatch((node) -> node.name().equals(name) && node.status() == status));
    }
}
