package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.task.TaskEventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The agent's task API over real HTTP on 127.0.0.1, with a runtime that streams when the test says. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentTaskApiTests {

    private static final String NODE_ID = "node-0123456789abcdef";

    private static final String NODE_TOKEN = "node-secret-token";

    private static final String CREDENTIAL =
            NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final RegistrationState state = new RegistrationState();

    private final StreamingRuntime runtime = new StreamingRuntime();

    private final CapacityGate gate = new CapacityGate(1);

    private AgentTasks tasks;

    private AgentTaskSweeper sweeper;

    private AgentHttpServer server;

    @BeforeEach
    void start() {
        this.state.use(new NodeIdentity(NODE_ID, NODE_TOKEN, "http://127.0.0.1:9180"));
        Clock clock = Clock.systemUTC();
        this.tasks = new AgentTasks(
                this.runtime,
                this.gate,
                clock,
                Duration.ofHours(1),
                100,
                Duration.ofMinutes(5),
                (run) -> Thread.ofVirtual().start(run));
        this.sweeper = new AgentTaskSweeper(this.tasks, Duration.ofMillis(20));
        this.sweeper.start();
        this.server = InboundConfiguration.server(
                "127.0.0.1",
                0,
                Duration.ofSeconds(1),
                new MessageDispatcher(this.runtime, this.gate, clock, Duration.ofMinutes(5)),
                this.tasks,
                this.state,
                this.runtime,
                this.gate,
                new LocalNode("mac-mini", Path.of("/nonexistent")),
                List.of());
        this.server.start();
    }

    @AfterEach
    void stop() {
        this.sweeper.stop();
        this.server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 0);
        this.http.close();
    }

    @Test
    void streamedTaskShouldSendEachDeltaAsItComesAndTheDeltasShouldAddUpToTheResponse() throws Exception {
        this.runtime.delta("t-1", "Hel");
        HttpResponse<InputStream> response = post(task("t-1", null), CREDENTIAL, TaskEventTypes.EVENT_STREAM);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(TaskEventTypes.EVENT_STREAM);

        try (EventStreamReader events = new EventStreamReader(response.body())) {
            EventStreamReader.Event started = events.next();
            assertThat(started.name()).isEqualTo(TaskEventTypes.STARTED);
            assertThat(started.id()).isEqualTo("0");
            assertThat(started.text("task_id")).isEqualTo("t-1");
            assertThat(started.text("node_id")).isEqualTo(NODE_ID);
            assertThat(started.text("node_name")).isEqualTo("mac-mini");
            // the first piece arrives while the run still goes on
            EventStreamReader.Event first = events.next();
            assertThat(first.name()).isEqualTo(TaskEventTypes.DELTA);
            assertThat(first.text("text")).isEqualTo("Hel");
            assertThat(first.id()).isEqualTo("3");
            assertThat(this.runtime.running.get()).isOne();

            this.runtime.delta("t-1", "lo, ").delta("t-1", "wörld").finish("t-1");
            List<EventStreamReader.Event> rest = events.rest();

            EventStreamReader.Event last = rest.getLast();
            assertThat(last.name()).isEqualTo(TaskEventTypes.SUCCEEDED);
            assertThat(last.id()).isEqualTo("end");
            StringBuilder text = new StringBuilder("Hel");
            rest.stream()
                    .filter((event) -> event.name().equals(TaskEventTypes.DELTA))
                    .forEach((event) -> {
                        text.append(event.text("text"));
                        assertThat(event.id()).isEqualTo(String.valueOf(text.length()));
                    });
            assertThat(text).hasToString("Hello, wörld");
            assertThat(last.text("response")).isEqualTo("Hello, wörld");
        }
        JsonNode view = getJson(ApiPaths.TASKS + "/t-1");
        assertThat(view.get("status").asString()).isEqualTo("succeeded");
        assertThat(view.get("text").asString()).isEqualTo("Hello, wörld");
        assertThat(view.get("node_id").asString()).isEqualTo(NODE_ID);
        assertThat(view.get("error").isNull()).isTrue();
    }

    @Test
    void submitAsJsonShouldAnswer202AndTheSameIdAgainShouldAttachWithoutRunningTwice() throws Exception {
        HttpResponse<String> accepted = postString(task("t-1", null), CREDENTIAL, "application/json");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).get("status").asString()).isEqualTo("running");
        assertThat(JSON.readTree(accepted.body()).get("task_id").asString()).isEqualTo("t-1");

        HttpResponse<String> again = postString(task("t-1", null), CREDENTIAL, "application/json");
        assertThat(again.statusCode()).isEqualTo(200);
        this.runtime.delta("t-1", "done").finish("t-1");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> getJson(ApiPaths.TASKS + "/t-1")
                        .get("status")
                        .asString()
                        .equals("succeeded"));

        assertThat(this.runtime.requests).hasSize(1);
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void eventsWithLastEventIdMidStreamShouldSendTheMissingTextAsOneDeltaThenLive() throws Exception {
        postString(task("t-1", null), CREDENTIAL, "application/json");
        this.runtime.delta("t-1", "abc").delta("t-1", "def");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        getJson(ApiPaths.TASKS + "/t-1").get("text").asString().equals("abcdef"));

        HttpResponse<InputStream> resumed = events("t-1", "2");
        assertThat(resumed.statusCode()).isEqualTo(200);
        try (EventStreamReader events = new EventStreamReader(resumed.body())) {
            EventStreamReader.Event missing = events.next();
            assertThat(missing.name()).isEqualTo(TaskEventTypes.DELTA);
            assertThat(missing.text("text")).isEqualTo("cdef");
            assertThat(missing.id()).isEqualTo("6");

            this.runtime.delta("t-1", "g").finish("t-1");
            List<EventStreamReader.Event> rest = events.rest();
            assertThat(rest)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.DELTA, TaskEventTypes.SUCCEEDED);
            assertThat(rest.getFirst().text("text")).isEqualTo("g");
            assertThat(rest.getLast().text("response")).isEqualTo("abcdefg");
        }
    }

    @Test
    void eventsAfterTheEndShouldReplayTheWholeTaskAndEnd() throws Exception {
        this.runtime.delta("t-1", "one ").delta("t-1", "two").finish("t-1");
        postString(task("t-1", null), CREDENTIAL, "application/json");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> getJson(ApiPaths.TASKS + "/t-1")
                        .get("status")
                        .asString()
                        .equals("succeeded"));

        try (EventStreamReader replay =
                new EventStreamReader(events("t-1", null).body())) {
            List<EventStreamReader.Event> all = replay.rest();
            assertThat(all)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.STARTED, TaskEventTypes.DELTA, TaskEventTypes.SUCCEEDED);
            assertThat(all.get(1).text("text")).isEqualTo("one two");
            assertThat(all.get(1).id()).isEqualTo("7");
        }
        try (EventStreamReader fromDelta =
                new EventStreamReader(events("t-1", "4").body())) {
            List<EventStreamReader.Event> all = fromDelta.rest();
            assertThat(all)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.DELTA, TaskEventTypes.SUCCEEDED);
            assertThat(all.getFirst().text("text")).isEqualTo("two");
        }
        try (EventStreamReader afterEnd =
                new EventStreamReader(events("t-1", "end").body())) {
            assertThat(afterEnd.rest())
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.SUCCEEDED);
        }
    }

    @Test
    void cancelMidRunShouldAbortTheRunEndTheStreamCanceledAndRefuseASecondCancel() throws Exception {
        this.runtime.delta("t-1", "partial");
        HttpResponse<InputStream> response = post(task("t-1", null), CREDENTIAL, TaskEventTypes.EVENT_STREAM);
        try (EventStreamReader events = new EventStreamReader(response.body())) {
            assertThat(events.next().name()).isEqualTo(TaskEventTypes.STARTED);
            assertThat(events.next().text("text")).isEqualTo("partial");

            HttpResponse<String> canceled = delete("t-1", CREDENTIAL);
            assertThat(canceled.statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(canceled.body()).get("status").asString()).isEqualTo("canceled");

            EventStreamReader.Event last = events.next();
            assertThat(last.name()).isEqualTo(TaskEventTypes.CANCELED);
            assertThat(last.id()).isEqualTo("end");
            assertThat(last.text("error")).contains("canceled");
            assertThat(events.next()).isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertThat(this.runtime.aborts).containsExactly("canceled by the coordinator");

        HttpResponse<String> again = delete("t-1", CREDENTIAL);
        assertProblem(again, 409, "task-finished");
        assertThat(getJson(ApiPaths.TASKS + "/t-1").get("text").asString()).isEqualTo("partial");
    }

    @Test
    void taskPastItsTimeoutShouldEndTimedOutAndAbortTheRun() throws Exception {
        HttpResponse<InputStream> response = post(task("t-1", 200L), CREDENTIAL, TaskEventTypes.EVENT_STREAM);
        try (EventStreamReader events = new EventStreamReader(response.body())) {
            List<EventStreamReader.Event> all = events.rest();

            assertThat(all)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.STARTED, TaskEventTypes.TIMED_OUT);
            assertThat(all.getLast().text("error")).isEqualTo("the task's timeout of 200 ms passed");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertThat(this.runtime.aborts).containsExactly("the task's timeout of 200 ms passed");
    }

    @Test
    void unknownTaskShouldAnswer404OnEveryEndpoint() throws Exception {
        assertProblem(get(ApiPaths.TASKS + "/t-404", CREDENTIAL, null), 404, "task-not-found");
        assertProblem(get(ApiPaths.TASKS + "/t-404/events", CREDENTIAL, null), 404, "task-not-found");
        assertProblem(delete("t-404", CREDENTIAL), 404, "task-not-found");
    }

    @Test
    void submitWhenAllSlotsAreTakenShouldAnswer429AndStartNothing() throws Exception {
        postString(task("t-1", null), CREDENTIAL, "application/json");

        HttpResponse<String> refused = postString(task("t-2", null), CREDENTIAL, TaskEventTypes.EVENT_STREAM);

        assertProblem(refused, 429, "node-at-capacity");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertProblem(get(ApiPaths.TASKS + "/t-2", CREDENTIAL, null), 404, "task-not-found");
        // a message shares the slots with tasks
        HttpResponse<String> message = postMessage("{\"id\":\"m-1\",\"content\":\"hi\"}", "application/json");
        assertProblem(message, 429, "node-at-capacity");
    }

    @Test
    void submitWhileTheRuntimeIsDownShouldAnswer503AndStartNothing() throws Exception {
        this.runtime.connected = false;

        HttpResponse<String> refused = postString(task("t-1", null), CREDENTIAL, TaskEventTypes.EVENT_STREAM);

        assertProblem(refused, 503, "runtime-unavailable");
        assertThat(this.gate.inflight()).isZero();
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void requestsWithoutCredentialShouldAnswer401AndChangeNothing() throws Exception {
        postString(task("t-1", null), CREDENTIAL, "application/json");

        assertProblem(postString(task("t-2", null), null, "application/json"), 401, "missing-credential");
        assertProblem(get(ApiPaths.TASKS + "/t-1", null, null), 401, "missing-credential");
        assertProblem(get(ApiPaths.TASKS + "/t-1/events", null, null), 401, "missing-credential");
        assertProblem(delete("t-1", null), 401, "missing-credential");

        assertThat(this.runtime.requests).hasSize(1);
        assertThat(getJson(ApiPaths.TASKS + "/t-1").get("status").asString()).isEqualTo("running");
    }

    @Test
    void requestsWithAWrongCredentialShouldAnswer403AndChangeNothing() throws Exception {
        postString(task("t-1", null), CREDENTIAL, "application/json");
        String otherNode = NodeCredentials.deliveryCredential(NodeCredentials.hash("other-token"), "node-other");
        String otherToken = NodeCredentials.deliveryCredential(NodeCredentials.hash("other-token"), NODE_ID);

        for (String wrong : new String[] {otherNode, otherToken, NODE_TOKEN}) {
            assertProblem(postString(task("t-2", null), wrong, "application/json"), 403, "invalid-credential");
            assertProblem(get(ApiPaths.TASKS + "/t-1", wrong, null), 403, "invalid-credential");
            assertProblem(get(ApiPaths.TASKS + "/t-1/events", wrong, null), 403, "invalid-credential");
            assertProblem(delete("t-1", wrong), 403, "invalid-credential");
        }

        assertThat(this.runtime.requests).hasSize(1);
        assertThat(getJson(ApiPaths.TASKS + "/t-1").get("status").asString()).isEqualTo("running");
    }

    @Test
    void requestsBeforeRegistrationShouldAnswer503() throws Exception {
        this.state.clear();

        assertProblem(postString(task("t-1", null), CREDENTIAL, "application/json"), 503, "not-registered");
        assertProblem(get(ApiPaths.TASKS + "/t-1", CREDENTIAL, null), 503, "not-registered");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"task_id\":\"t-1\",\"content\":",
                "{\"task_id\":\"t-1\",\"content\":\"hi\",\"priority\":9}",
                "{\"task_id\":\"t-1\",\"content\":\"hi\",\"timeout_ms\":\"soon\"}",
                "{\"task_id\":\"t-1\",\"content\":42}",
                "{\"task_id\":\"t 1\",\"content\":\"hi\"}",
                "{\"task_id\":\"../../etc\",\"content\":\"hi\"}",
                "{\"content\":\"hi\"}",
                "{\"task_id\":\"t-1\"}",
                "{\"task_id\":\"t-1\",\"content\":\"hi\",\"timeout_ms\":-5}",
                "[]",
                "null"
            })
    void submitWithBadInputShouldAnswer400AndStartNothing(String body) throws Exception {
        HttpResponse<String> response = postString(body, CREDENTIAL, TaskEventTypes.EVENT_STREAM);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiPaths.PROBLEM_JSON);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).isNotBlank();
        assertThat(this.runtime.requests).isEmpty();
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void submitWithAnOversizedIdOrContentShouldBeRefused() throws Exception {
        assertProblem(postString(task("t".repeat(101), null), CREDENTIAL, "application/json"), 400, "invalid-input");
        String huge = "{\"task_id\":\"t-1\",\"content\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertProblem(postString(huge, CREDENTIAL, "application/json"), 413, "payload-too-large");
        assertThat(this.runtime.requests).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "t%201",
                "t%2F1",
                "..",
                "t;drop",
                "tttttttttttttttttttttttttttttttttttttttttttttttttttttt"
                        + "tttttttttttttttttttttttttttttttttttttttttttttttttttt"
            })
    void pathWithABadTaskIdShouldAnswer400(String id) throws Exception {
        assertProblem(get(ApiPaths.TASKS + "/" + id, CREDENTIAL, null), 400, "invalid-input");
        assertProblem(get(ApiPaths.TASKS + "/" + id + "/events", CREDENTIAL, null), 400, "invalid-input");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"banana", "-1", "99", "12345678901", "end"})
    void eventsWithALastEventIdThisStreamNeverSentShouldAnswer400(String lastEventId) throws Exception {
        postString(task("t-1", null), CREDENTIAL, "application/json");
        this.runtime.delta("t-1", "abc");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        getJson(ApiPaths.TASKS + "/t-1").get("text").asString().equals("abc"));

        HttpResponse<String> response = get(ApiPaths.TASKS + "/t-1/events", CREDENTIAL, lastEventId);

        assertProblem(response, 400, "invalid-input");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("Last-Event-ID");
    }

    @Test
    void wrongMethodOnATaskShouldAnswer405NamingTheMethodsItTakes() throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(uri(ApiPaths.TASKS + "/t-1"))
                        .PUT(BodyPublishers.ofString("{}"))
                        .build(),
                BodyHandlers.ofString());

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, DELETE, OPTIONS");
    }

    private HttpResponse<InputStream> post(String body, @Nullable String credential, String accept)
            throws IOException, InterruptedException {
        return this.http.send(postRequest(body, credential, accept), BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> postString(String body, @Nullable String credential, String accept)
            throws IOException, InterruptedException {
        return this.http.send(postRequest(body, credential, accept), BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String body, @Nullable String credential, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(ApiPaths.TASKS))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(BodyPublishers.ofString(body));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request.build();
    }

    private HttpResponse<String> postMessage(String body, String accept) throws IOException, InterruptedException {
        return this.http.send(
                HttpRequest.newBuilder(uri(ApiPaths.AGENT_MESSAGES))
                        .header("Content-Type", "application/json")
                        .header("Accept", accept)
                        .header("Authorization", "Bearer " + CREDENTIAL)
                        .POST(BodyPublishers.ofString(body))
                        .build(),
                BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> events(String id, @Nullable String lastEventId)
            throws IOException, InterruptedException {
        return this.http.send(
                getRequest(ApiPaths.TASKS + "/" + id + "/events", CREDENTIAL, lastEventId),
                BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> get(String path, @Nullable String credential, @Nullable String lastEventId)
            throws IOException, InterruptedException {
        return this.http.send(getRequest(path, credential, lastEventId), BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path, CREDENTIAL, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpRequest getRequest(String path, @Nullable String credential, @Nullable String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    private HttpResponse<String> delete(String id, @Nullable String credential)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(ApiPaths.TASKS + "/" + id)).DELETE();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return this.http.send(request.build(), BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.server.port() + path);
    }

    private static String task(String id, @Nullable Long timeoutMs) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("task_id", id);
        body.put("content", "hello");
        body.put("source", "coordinator");
        body.put("session_key", "s-1");
        body.put("created_at", "2026-11-23T23:00:00Z");
        if (timeoutMs != null) {
            body.put("timeout_ms", timeoutMs);
        }
        return JSON.writeValueAsString(body);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiPaths.PROBLEM_JSON);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asString()).isEqualTo(ProblemType.PREFIX + slug);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asString()).isNotBlank();
    }
}
