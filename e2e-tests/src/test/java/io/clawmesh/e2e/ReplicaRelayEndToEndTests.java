package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Two coordinator replicas as real processes on one real PostgreSQL (a database created for this run and dropped
 * afterwards) and one outbound agent whose WebSocket is held by replica A only (issue 17): replica B serves routed
 * messages and streamed tasks through it by relaying through A, a client of B follows the deltas of a task A follows,
 * and a cancel on B stops a run that goes through A. Last, an outbound agent joined with both URLs moves its
 * connection to B when A is killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaRelayEndToEndTests {

    private static final Duration WORD_DELAY = Duration.ofMillis(60);

    private static final Set<String> FINAL_TASK_EVENTS = Set.of("succeeded", "failed", "canceled", "timed_out");

    private PostgresDatabase database;

    private MeshCluster cluster;

    private SlowModelServer model;

    private MeshProcess first;

    private MeshProcess second;

    private Path workDir;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.database = PostgresDatabase.open();
        assumeTrue(this.database != null, PostgresDatabase.UNAVAILABLE);
        this.workDir = workDir;
        this.cluster = new MeshCluster(workDir);
        this.model = new SlowModelServer(WORD_DELAY);
        this.first = startReplica("replica-a", MeshCluster.freePort());
        this.second = startReplica("replica-b", MeshCluster.freePort());
        // the agent knows replica A only: its one connection is there
        this.cluster.startAgent(
                "out-a",
                MeshCluster.freePort(),
                this.first.port(),
                "",
                Map.of(),
                List.of(
                        "--mesh.agent.connect=outbound",
                        "--mesh.agent.runtime=openai",
                        "--mesh.agent.api-base=" + this.model.apiBase(),
                        "--mesh.agent.api-model=slow",
                        "--mesh.agent.link.ping-interval=1s",
                        "--mesh.agent.link.watchdog=5s"));
        for (MeshProcess replica : List.of(this.first, this.second)) {
            Awaitility.await("out-a online on " + replica.name())
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> nodes(replica).stream()
                            .anyMatch((n) -> n.name().equals("out-a") && n.status() == NodeStatus.ONLINE));
        }
    }

    private MeshProcess startReplica(String name, int port) throws Exception {
        List<String> arguments = new ArrayList<>(this.database.coordinatorArguments());
        arguments.addAll(List.of(
                "--mesh.replicas.heartbeat-interval=500ms",
                "--mesh.replicas.dead-after=3s",
                "--mesh.replicas.leader-lease=3s",
                "--mesh.replicas.relay.url=http://127.0.0.1:" + port,
                "--mesh.registry.cache-refresh=250ms"));
        return this.cluster.startCoordinator(name, port, arguments);
    }

    @AfterAll
    void stopMesh() throws Exception {
        try {
            if (this.cluster != null) {
                this.cluster.close();
            }
            if (this.model != null) {
                this.model.close();
            }
        } finally {
            if (this.database != null) {
                this.database.close();
            }
        }
    }

    @Test
    @Order(1)
    void theDatabaseNamesReplicaAAsTheHolderOfTheAgentsConnection() throws Exception {
        String nodeId = nodes(this.first).stream()
                .filter((n) -> n.name().equals("out-a"))
                .findFirst()
                .orElseThrow()
                .id();
        assertThat(linkReplica(nodeId)).isEqualTo(replicaId(this.first));
    }

    @Test
    @Order(2)
    void messagesRoutedByReplicaBAreServedByTheAgentConnectedToA() {
        for (int i = 0; i < 10; i++) {
            String prompt = "relayed by B " + i;
            ResponseEntity<Map> answer = api(this.second)
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
    }

    @Test
    @Order(3)
    void aStreamedRouteAndATaskSubmittedOnBStreamTheirDeltasThroughA() throws Exception {
        String routed = "streamed via B one two three four five six";
        SseEvents.Stream route = SseEvents.post(
                this.second.baseUrl() + ApiPaths.ROUTE,
                MeshCluster.OPERATOR_TOKEN,
                "{\"content\":\"" + routed + "\"}",
                Set.of("done", "error"));
        assertThat(route.status()).as(route.errorBody()).isEqualTo(200);
        assertThat(route.last().name()).isEqualTo("done");
        assertThat(route.deltas()).isEqualTo(SlowModelServer.replyTo(routed));
        assertThat(Duration.ofNanos(
                        route.last().readAtNanos() - route.first("delta").readAtNanos()))
                .as("the deltas arrived while the model was still writing, not all at the end")
                .isGreaterThan(WORD_DELAY.multipliedBy(3));

        String prompt = "task via B one two three four five six seven";
        String id = submit(this.second, prompt).getBody().taskId();
        SseEvents.Stream stream = SseEvents.get(
                this.second.baseUrl() + "/api/v1/tasks/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of(),
                FINAL_TASK_EVENTS);
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.names().getLast()).isEqualTo("succeeded");
        assertThat(stream.names().stream().filter("delta"::equals).count()).isGreaterThan(3);
        assertThat(stream.deltas()).isEqualTo(SlowModelServer.replyTo(prompt));
        assertThat(task(this.second, id).nodeName()).isEqualTo("out-a");
        assertThat(task(this.first, id).status()).as("the row is shared").isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    @Order(4)
    void aTaskFollowedByAStreamsItsDeltasToAClientOfB() throws Exception {
        String prompt = "task on A streamed from B one two three four five six seven";
        String id = submit(this.first, prompt).getBody().taskId();
        SseEvents.Stream stream = SseEvents.get(
                this.second.baseUrl() + "/api/v1/tasks/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of(),
                FINAL_TASK_EVENTS);
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.names().getLast()).isEqualTo("succeeded");
        assertThat(stream.names().stream().filter("delta"::equals).count())
                .as("the deltas came live from A, not only as the final text")
                .isGreaterThan(3);
        assertThat(stream.deltas()).isEqualTo(SlowModelServer.replyTo(prompt));
    }

    @Test
    @Order(5)
    void cancelOnBStopsARunThatGoesThroughA() {
        // submitted on B (B follows it through the relay) and on A (A follows it over its own connection)
        for (MeshProcess submittedOn : List.of(this.second, this.first)) {
            String prompt = "cancel-me from " + submittedOn.name() + " "
                    + "word ".repeat(40).strip();
            String id = submit(submittedOn, prompt).getBody().taskId();
            Awaitility.await("task running")
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            task(this.second, id).status() == TaskStatus.RUNNING && this.model.callsFor(prompt) == 1);
            ResponseEntity<String> cancel = api(this.second)
                    .delete()
                    .uri("/api/v1/tasks/{id}", id)
                    .retrieve()
                    .toEntity(String.class);
            assertThat(cancel.getStatusCode().is2xxSuccessful())
                    .as(cancel.toString())
                    .isTrue();
            assertThat(awaitFinished(id).status()).isEqualTo(TaskStatus.CANCELED);
            Awaitility.await("the model saw its stream closed (submitted on " + submittedOn.name() + ")")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> this.model.aborts().contains(prompt));
            assertThat(this.model.completed()).doesNotContain(prompt);
        }
    }

    @Test
    @Order(6)
    void anOutboundAgentJoinedWithBothUrlsMovesItsConnectionToBWhenAIsKilled() throws Exception {
        String both = "--mesh.agent.coordinator-url=" + this.first.baseUrl() + "," + this.second.baseUrl();
        this.cluster.startAgent(
                "out-ab",
                MeshCluster.freePort(),
                this.first.port(),
                "",
                Map.of(),
                List.of(
                        both,
                        "--mesh.agent.connect=outbound",
                        "--mesh.agent.link.ping-interval=1s",
                        "--mesh.agent.link.watchdog=5s"));
        Awaitility.await("out-ab online")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes(this.second).stream()
                        .anyMatch((n) -> n.name().equals("out-ab") && n.status() == NodeStatus.ONLINE));
        String nodeId = nodes(this.second).stream()
                .filter((n) -> n.name().equals("out-ab"))
                .findFirst()
                .orElseThrow()
                .id();
        assertThat(linkReplica(nodeId)).as("the first URL answered").isEqualTo(replicaId(this.first));

        this.first.kill();

        String survivor = replicaId(this.second);
        Awaitility.await("out-ab's connection moved to replica B")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> survivor.equals(linkReplica(nodeId)));
        for (int i = 0; i < 3; i++) {
            String prompt = "after A died " + i;
            ResponseEntity<Map> answer = api(this.second)
                    .post()
                    .uri(ApiPaths.ROUTE + "/out-ab")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("content", prompt))
                    .retrieve()
                    .toEntity(Map.class);
            assertThat(answer.getStatusCode().value())
                    .as(String.valueOf(answer.getBody()))
                    .isEqualTo(200);
            assertThat(String.valueOf(answer.getBody().get("response"))).contains(prompt);
        }
    }

    private ResponseEntity<TaskAccepted> submit(MeshProcess replica, String content) {
        return api(replica)
                .post()
                .uri(ApiPaths.TASKS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", content))
                .retrieve()
                .toEntity(TaskAccepted.class);
    }

    private TaskView task(MeshProcess replica, String id) {
        return api(replica).get().uri("/api/v1/tasks/{id}", id).retrieve().body(TaskView.class);
    }

    private TaskView awaitFinished(String id) {
        return Awaitility.await("task " + id + " finished")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> task(this.second, id),
                        (task) -> task != null && task.status().finished());
    }

    private List<NodeView> nodes(MeshProcess replica) {
        return Arrays.asList(api(replica).get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class));
    }

    private String replicaId(MeshProcess replica) throws Exception {
        return Files.readString(this.workDir.resolve(replica.name()).resolve("replica-id"))
                .strip();
    }

    private String linkReplica(String nodeId) throws Exception {
        try (Connection connection = this.database.connect();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT link_replica FROM nodes WHERE id = ?")) {
            statement.setString(1, nodeId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static RestClient api(MeshProcess replica) {
        return RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(replica.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }
}
