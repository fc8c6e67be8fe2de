package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Two coordinator replicas as real processes on one real PostgreSQL (a database created for this run and dropped
 * afterwards), four agents that join with both URLs (issue 17, SPEC §19): every replica serves every request, events
 * fan out between them, the scheduled sweeps run on one of them, and a replica killed with tasks queued and running
 * loses none of them and runs none twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasEndToEndTests {

    private static final int MESSAGES = 1000;

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
        this.model = new SlowModelServer(Duration.ofMillis(150));
        // the first replica starts alone, so it holds the scheduler lease
        this.first = startReplica("replica-a", MeshCluster.freePort());
        this.second = startReplica("replica-b", MeshCluster.freePort());
        String both = "--mesh.agent.coordinator-url=" + this.first.baseUrl() + "," + this.second.baseUrl();
        for (String name : List.of("echo-1", "echo-2")) {
            this.cluster.startAgent(name, MeshCluster.freePort(), this.first.port(), "echo", Map.of(), List.of(both));
        }
        for (String name : List.of("slow-1", "slow-2")) {
            this.cluster.startAgent(
                    name,
                    MeshCluster.freePort(),
                    this.first.port(),
                    "slow",
                    Map.of(),
                    List.of(
                            both,
                            "--mesh.agent.runtime=openai",
                            "--mesh.agent.api-base=" + this.model.apiBase(),
                            "--mesh.agent.api-model=slow",
                            "--mesh.agent.capacity=1"));
        }
        for (MeshProcess replica : List.of(this.first, this.second)) {
            Awaitility.await("four agents online on " + replica.name())
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> nodes(replica).values().stream()
                                    .filter((n) -> n.status() == NodeStatus.ONLINE)
                                    .count()
                            == 4);
        }
    }

    private MeshProcess startReplica(String name, int port) throws Exception {
        List<String> arguments = new ArrayList<>(this.database.coordinatorArguments());
        arguments.addAll(List.of(
                "--mesh.replicas.heartbeat-interval=500ms",
                "--mesh.replicas.dead-after=3s",
                "--mesh.replicas.leader-lease=3s",
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
    void nodesAndRulesAreTheSameOnBothReplicas() {
        RoutingRule rule = api(this.first)
                .post()
                .uri(ApiPaths.RULES)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RuleRequest(
                        new RuleMatch(null, null, null, null, null, List.of("echo"), null), null, Strategy.ROUND_ROBIN))
                .retrieve()
                .body(RoutingRule.class);

        Awaitility.await("the rule added on A listed by B")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> List.of(api(this.second)
                                .get()
                                .uri(ApiPaths.RULES)
                                .retrieve()
                                .body(RoutingRule[].class)),
                        (rules) -> rules.contains(rule));
        assertThat(ids(this.second)).isEqualTo(ids(this.first));
        assertThat(route(this.second, "routed by B").nodeName()).startsWith("echo-");
    }

    @Test
    @Order(2)
    void aMessageRoutedByOneReplicaShowsOnTheOtherReplicasEventStream() throws Exception {
        CompletableFuture<SseEvents.Stream> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return SseEvents.get(
                        this.second.baseUrl() + ApiPaths.EVENTS,
                        MeshCluster.OPERATOR_TOKEN,
                        Map.of(),
                        Set.of(MeshEventTypes.MESSAGE_ROUTED));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        // Routed on A until B's stream (opened in the background, no replay) shows one: bounded, 40 messages at most.
        Map<String, String> routed = new HashMap<>();
        SseEvents.Stream events = null;
        for (int i = 0; i < 40 && events == null; i++) {
            RouteResponse response = route(this.first, "routed by A, seen on B " + i);
            routed.put(response.messageId(), response.nodeName());
            try {
                events = stream.get(250, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                // not there yet: route another one
            }
        }
        assertThat(events).as("B's stream showed a message routed by A").isNotNull();
        SseEvents.Event event = events.first(MeshEventTypes.MESSAGE_ROUTED);
        assertThat(routed).containsKey(event.text("message_id"));
        assertThat(event.text("node_name")).isEqualTo(routed.get(event.text("message_id")));
    }

    @Test
    @Order(3)
    void theScheduledSweepsRunOnOneReplicaOnly() throws Exception {
        String leader = leaseHolder();
        assertThat(leader).as("the first replica started alone").isEqualTo(replicaId(this.first));
        Awaitility.await("the leader swept")
                .atMost(Duration.ofSeconds(10))
                .until(() -> leaderRuns(this.first, "lease-sweep") > 0 && leaderRuns(this.first, "probe") > 0);
        assertThat(leaderRuns(this.second, "lease-sweep"))
                .as("the other replica never swept")
                .isZero();
        assertThat(leaderRuns(this.second, "probe")).as("nor probed").isZero();
    }

    @Test
    @Order(4)
    void aThousandMessagesSpreadOverBothReplicasAreAllAnswered() throws Exception {
        List<Future<RouteResponse>> answers = new ArrayList<>();
        Instant started = Instant.now();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < MESSAGES; i++) {
                MeshProcess replica = (i % 2 == 0) ? this.first : this.second;
                String content = "message " + i;
                answers.add(clients.submit(() -> route(replica, content)));
            }
            for (int i = 0; i < MESSAGES; i++) {
                RouteResponse answer = answers.get(i).get(2, TimeUnit.MINUTES);
                assertThat(answer.response()).endsWith("message " + i);
            }
        }
        System.out.printf(
                "ReplicasEndToEndTests: %d messages over two replicas answered in %d ms%n",
                MESSAGES, Duration.between(started, Instant.now()).toMillis());
        Awaitility.await("every message in the shared log")
                .atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT COALESCE(SUM(record_count), 0) FROM message_log") >= MESSAGES);
    }

    @Test
    @Order(5)
    void aReplicaKilledWithTasksQueuedAndRunningLosesNoneRunsNoneTwiceAndItsAgentsMoveOn() throws Exception {
        List<String> prompts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String prompt = "replica-crash-" + i + " one two three four five six seven eight";
            prompts.add(prompt);
            ids.add(submit(this.first, prompt));
        }
        Awaitility.await("two tasks running")
                .atMost(Duration.ofSeconds(20))
                .until(() -> prompts.stream()
                                .filter((p) -> this.model.callsFor(p) == 1)
                                .count()
                        == 2);

        this.first.kill();
        Instant killedAt = Instant.now();

        Awaitility.await("every agent heartbeating to the survivor")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes(this.second).values().stream()
                        .allMatch((node) -> node.status() == NodeStatus.ONLINE
                                && node.lastHeartbeat() != null
                                && node.lastHeartbeat().isAfter(killedAt)));
        // measured, not asserted (bench/ owns budgets)
        System.out.printf(
                "ReplicasEndToEndTests: every agent heartbeated to the survivor %d ms after kill -9%n",
                Duration.between(killedAt, Instant.now()).toMillis());
        for (int i = 0; i < ids.size(); i++) {
            TaskView task = awaitFinished(this.second, ids.get(i));
            assertThat(task.status()).as(task.toString()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(task.response()).isEqualTo(SlowModelServer.replyTo(prompts.get(i)));
        }
        for (String prompt : prompts) {
            assertThat(this.model.callsFor(prompt)).as("runs of " + prompt).isEqualTo(1);
        }
        System.out.printf(
                "ReplicasEndToEndTests: every task ended through the survivor %d ms after kill -9%n",
                Duration.between(killedAt, Instant.now()).toMillis());
        Awaitility.await("the survivor took the scheduler lease")
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        replicaId(this.second).equals(leaseHolder()) && leaderRuns(this.second, "lease-sweep") > 0);
        assertThat(route(this.second, "after the crash").nodeName()).startsWith("echo-");
    }

    private String submit(MeshProcess replica, String content) {
        return api(replica)
                .post()
                .uri(ApiPaths.TASKS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", content, "match", "tag:slow"))
                .retrieve()
                .body(TaskAccepted.class)
                .taskId();
    }

    private TaskView awaitFinished(MeshProcess replica, String id) {
        return Awaitility.await("task " + id + " finished")
                .atMost(60, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(
                        () -> api(replica)
                                .get()
                                .uri(ApiPaths.TASK, id)
                                .retrieve()
                                .body(TaskView.class),
                        (task) -> task != null && task.status().finished());
    }

    private RouteResponse route(MeshProcess replica, String content) {
        return api(replica)
                .post()
                .uri(ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest(content))
                .retrieve()
                .body(RouteResponse.class);
    }

    private Map<String, NodeView> nodes(MeshProcess replica) {
        return Arrays.stream(api(replica).get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class))
                .collect(Collectors.toMap(NodeView::name, Function.identity()));
    }

    private Map<String, String> ids(MeshProcess replica) {
        return nodes(replica).values().stream().collect(Collectors.toMap(NodeView::name, NodeView::id));
    }

    private double leaderRuns(MeshProcess replica, String job) {
        return PrometheusScrape.parse(get(replica, "/actuator/prometheus"))
                .sum("mesh_replicas_leader_runs_total", Map.of("job", job));
    }

    private String replicaId(MeshProcess replica) throws Exception {
        return Files.readString(this.workDir.resolve(replica.name()).resolve("replica-id"))
                .strip();
    }

    private String leaseHolder() throws Exception {
        try (Connection connection = this.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT locked_by FROM shedlock WHERE name = 'scheduler-leader'"
                        + " AND lock_until > timezone('utc', CURRENT_TIMESTAMP)")) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = this.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String get(MeshProcess replica, String path) {
        return RestClient.create()
                .get()
                .uri(replica.baseUrl() + path)
                .retrieve()
                .body(String.class);
    }

    private static RestClient api(MeshProcess replica) {
        return RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(replica.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
    }
}
