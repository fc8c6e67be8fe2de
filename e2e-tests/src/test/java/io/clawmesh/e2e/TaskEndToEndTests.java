package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Durable tasks end to end (issue 13): a coordinator and two agents as real processes, each agent on the
 * OpenAI-compatible runtime of a slow streaming model ({@link SlowModelServer}) with one slot, so tasks queue. The model
 * logs every call and every abort, which is how these tests see that a task ran once and that cancel and timeout
 * really stopped the run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskEndToEndTests {

    private static final Duration WORD_DELAY = Duration.ofMillis(150);

    private static final Set<String> FINAL_TASK_EVENTS = Set.of("succeeded", "failed", "canceled", "timed_out");

    private MeshCluster cluster;

    private SlowModelServer model;

    private MeshProcess coordinator;

    private int coordinatorPort;

    private RestClient api;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.model = new SlowModelServer(WORD_DELAY);
        this.cluster = new MeshCluster(workDir);
        this.coordinatorPort = MeshCluster.freePort();
        this.coordinator = this.cluster.startCoordinator(this.coordinatorPort);
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        for (String name : List.of("slow-a", "slow-b")) {
            this.cluster.startAgent(
                    name,
                    MeshCluster.freePort(),
                    this.coordinatorPort,
                    "slow",
                    Map.of(),
                    List.of(
                            "--mesh.agent.runtime=openai",
                            "--mesh.agent.api-base=" + this.model.apiBase(),
                            "--mesh.agent.api-model=slow",
                            "--mesh.agent.capacity=1"));
        }
        Awaitility.await("two nodes online")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> this.api.get().uri(ApiPaths.NODES).retrieve().body(String.class),
                        (body) -> body != null && body.split("\"status\":\"online\"", -1).length == 3);
        // The coordinator counts a node online when it answers its registration; the agent takes work once it has
        // read that answer (it writes node.json just after), so a task sent in between is refused once and queued
        // again, which the first test's one-attempt check would read as a fault (seen at load 10)
        Awaitility.await("both agents registered")
                .atMost(Duration.ofSeconds(30))
                .until(() -> List.of("slow-a", "slow-b").stream()
                        .allMatch((name) -> Files.exists(this.cluster.identityFile(name))));
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
    void tasksBeyondEveryNodesCapacityQueueInsteadOfBeingRefusedAndEachRunsOnce() {
        List<String> prompts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String prompt = "queue-" + i + " one two three four five";
            prompts.add(prompt);
            ResponseEntity<TaskAccepted> accepted = submit(prompt, null, null);
            assertThat(accepted.getStatusCode().value())
                    .as("no 503 when every node is busy")
                    .isEqualTo(202);
            ids.add(accepted.getBody().taskId());
        }
        for (int i = 0; i < ids.size(); i++) {
            TaskView task = awaitFinished(ids.get(i));
            assertThat(task.status()).as(task.toString()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(task.response()).isEqualTo(SlowModelServer.replyTo(prompts.get(i)));
            assertThat(task.attempts()).isEqualTo(1);
        }
        for (String prompt : prompts) {
            assertThat(this.model.callsFor(prompt)).as("calls for " + prompt).isEqualTo(1);
        }
        assertThat(this.model.maxConcurrentCalls())
                .as("two nodes with one slot each: never more than two runs at once")
                .isLessThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void aTaskStreamShowsItsLifeInOrderAndItsDeltasAsTheyComeAndResumesFromLastEventId() throws Exception {
        String prompt = "stream one two three four five six seven";
        String id = submit(prompt, null, null).getBody().taskId();
        SseEvents.Stream stream = SseEvents.get(
                this.coordinator.baseUrl() + "/api/v1/tasks/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of(),
                FINAL_TASK_EVENTS);
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        List<String> names = stream.names();
        assertThat(names.getLast()).isEqualTo("succeeded");
        assertThat(names.subList(names.indexOf("assigned"), names.indexOf("started") + 1))
                .containsExactly("assigned", "started");
        assertThat(names.indexOf("started")).isLessThan(names.indexOf("delta"));
        assertThat(names.stream().filter("delta"::equals).count())
                .as("the reply comes in pieces")
                .isGreaterThan(3);
        String reply = SlowModelServer.replyTo(prompt);
        assertThat(stream.deltas()).as("deltas concatenated equal the response").isEqualTo(reply);
        assertThat(stream.last().text("response")).isEqualTo(reply);
        long firstDelta = stream.first("delta").readAtNanos();
        assertThat(Duration.ofNanos(stream.last().readAtNanos() - firstDelta))
                .as("the first delta arrived while the model was still writing")
                .isGreaterThan(WORD_DELAY.multipliedBy(3));

        SseEvents.Event middle = stream.events().stream()
                .filter((e) -> e.name().equals("delta"))
                .skip(2)
                .findFirst()
                .orElseThrow();
        SseEvents.Stream resumed = SseEvents.get(
                this.coordinator.baseUrl() + "/api/v1/tasks/" + id + "/events",
                MeshCluster.OPERATOR_TOKEN,
                Map.of("Last-Event-ID", middle.id()),
                FINAL_TASK_EVENTS);
        StringBuilder upToMiddle = new StringBuilder();
        for (SseEvents.Event event : stream.events()) {
            if (event.name().equals("delta")) {
                upToMiddle.append(event.text("text"));
            }
            if (event == middle) {
                break;
            }
        }
        assertThat(resumed.names()).doesNotContain("queued", "assigned", "started");
        assertThat(upToMiddle + resumed.deltas())
                .as("a resumed stream completes the text")
                .isEqualTo(reply);
        assertThat(resumed.last().name()).isEqualTo("succeeded");
    }

    @Test
    @Order(3)
    void aRouteAskedForAnEventStreamStreamsTheReplyAsItComes() throws Exception {
        String prompt = "routed one two three four five six";
        SseEvents.Stream stream = SseEvents.post(
                this.coordinator.baseUrl() + ApiPaths.ROUTE,
                MeshCluster.OPERATOR_TOKEN,
                "{\"content\":\"" + prompt + "\"}",
                Set.of("done", "error"));
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.last().name()).isEqualTo("done");
        String reply = SlowModelServer.replyTo(prompt);
        assertThat(stream.deltas()).isEqualTo(reply);
        assertThat(stream.last().text("response")).isEqualTo(reply);
        assertThat(stream.last().text("node_name")).isIn("slow-a", "slow-b");
        assertThat(Duration.ofNanos(
                        stream.last().readAtNanos() - stream.first("delta").readAtNanos()))
                .isGreaterThan(WORD_DELAY.multipliedBy(3));
    }

    @Test
    @Order(4)
    void cancelingARunningTaskStopsTheRunOnTheModel() {
        String prompt = "cancel-me " + "word ".repeat(40).strip();
        String id = submit(prompt, null, null).getBody().taskId();
        Awaitility.await("task running")
                .atMost(Duration.ofSeconds(20))
                .until(() -> task(id).status() == TaskStatus.RUNNING && this.model.callsFor(prompt) == 1);
        ResponseEntity<String> cancel =
                this.api.delete().uri("/api/v1/tasks/{id}", id).retrieve().toEntity(String.class);
        assertThat(cancel.getStatusCode().is2xxSuccessful())
                .as(cancel.toString())
                .isTrue();
        TaskView task = awaitFinished(id);
        assertThat(task.status()).isEqualTo(TaskStatus.CANCELED);
        Awaitility.await("the model saw its stream closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.model.aborts().contains(prompt));
        assertThat(this.model.completed()).doesNotContain(prompt);
        ResponseEntity<String> again =
                this.api.delete().uri("/api/v1/tasks/{id}", id).retrieve().toEntity(String.class);
        assertThat(again.getStatusCode().value())
                .as("cancelling a finished task")
                .isEqualTo(409);
    }

    @Test
    @Order(5)
    void aTaskPastItsTimeoutEndsTimedOutAndItsRunIsStopped() {
        String prompt = "slow-timeout " + "word ".repeat(40).strip();
        String id = submit(prompt, null, "2s").getBody().taskId();
        TaskView task = awaitFinished(id);
        assertThat(task.status()).as(task.toString()).isEqualTo(TaskStatus.TIMED_OUT);
        Awaitility.await("the model saw its stream closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.model.aborts().contains(prompt));
    }

    @Test
    @Order(6)
    void resubmittingWithTheSameIdempotencyKeyReturnsTheSameTaskAndAnotherBodyIsAConflict() {
        ResponseEntity<TaskAccepted> first = submit("idempotent one two", "key-42", null);
        ResponseEntity<TaskAccepted> second = submit("idempotent one two", "key-42", null);
        assertThat(first.getStatusCode().value()).isEqualTo(202);
        assertThat(second.getStatusCode().value()).isEqualTo(200);
        assertThat(second.getBody().taskId()).isEqualTo(first.getBody().taskId());
        ResponseEntity<String> other = this.api
                .post()
                .uri(ApiPaths.TASKS)
                .header(ApiPaths.IDEMPOTENCY_KEY_HEADER, "key-42")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", "another body"))
                .retrieve()
                .toEntity(String.class);
        assertThat(other.getStatusCode().value()).isEqualTo(409);
        assertThat(awaitFinished(first.getBody().taskId()).status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(this.model.callsFor("idempotent one two")).isEqualTo(1);
    }

    @Test
    @Order(7)
    void aCoordinatorKilledWithTasksQueuedAndRunningLosesNoneAndRunsNoneTwice() throws Exception {
        List<String> prompts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String prompt = "crash-" + i + " one two three four five six seven eight";
            prompts.add(prompt);
            ids.add(submit(prompt, null, null).getBody().taskId());
        }
        Awaitility.await("two tasks running")
                .atMost(Duration.ofSeconds(20))
                .until(() -> prompts.stream()
                                .filter((p) -> this.model.callsFor(p) == 1)
                                .count()
                        == 2);
        this.coordinator.kill();
        this.coordinator = this.cluster.startCoordinator(this.coordinatorPort);
        for (int i = 0; i < ids.size(); i++) {
            TaskView task = awaitFinished(ids.get(i));
            assertThat(task.status()).as(task.toString()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(task.response()).isEqualTo(SlowModelServer.replyTo(prompts.get(i)));
        }
        for (String prompt : prompts) {
            assertThat(this.model.callsFor(prompt)).as("runs of " + prompt).isEqualTo(1);
        }
    }

    private ResponseEntity<TaskAccepted> submit(String content, String idempotencyKey, String timeout) {
        Map<String, Object> body =
                (timeout != null) ? Map.of("content", content, "timeout", timeout) : Map.of("content", content);
        RestClient.RequestBodySpec request =
                this.api.post().uri(ApiPaths.TASKS).contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request.header(ApiPaths.IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        }
        return request.body(body).retrieve().toEntity(TaskAccepted.class);
    }

    private TaskView task(String id) {
        return this.api.get().uri("/api/v1/tasks/{id}", id).retrieve().body(TaskView.class);
    }

    private TaskView awaitFinished(String id) {
        return Awaitility.await("task " + id + " finished")
                .atMost(60, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> task(id), (task) -> task != null && task.status().finished());
    }
}
