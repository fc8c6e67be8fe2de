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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/v1/messages} with {@code Accept: text/event-stream}, over real HTTP on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageStreamTests {

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
        this.runtime.finish("m-1").finish("m-2");
        this.tasks.close();
        this.server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 0);
        this.http.close();
    }

    @Test
    void streamedMessageShouldSendDeltasAsTheyComeThenDoneWithTheWholeReply() throws Exception {
        this.runtime.delta("m-1", "Hel");
        HttpResponse<InputStream> response = send("m-1", CREDENTIAL);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(TaskEventTypes.EVENT_STREAM);

        try (EventStreamReader events = new EventStreamReader(response.body())) {
            EventStreamReader.Event first = events.next();
            assertThat(first.name()).isEqualTo(TaskEventTypes.DELTA);
            assertThat(first.text("text")).isEqualTo("Hel");
            assertThat(this.runtime.running.get()).isOne();

            this.runtime.delta("m-1", "lo").finish("m-1");
            List<EventStreamReader.Event> rest = events.rest();

            assertThat(rest)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.DELTA, TaskEventTypes.DONE);
            assertThat(rest.getFirst().text("text")).isEqualTo("lo");
            EventStreamReader.Event done = rest.getLast();
            assertThat(done.text("message_id")).isEqualTo("m-1");
            assertThat(done.text("node_id")).isEqualTo(NODE_ID);
            assertThat(done.text("response")).isEqualTo("Hello");
        }
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void clientThatLeavesTheStreamShouldAbortTheRun() throws Exception {
        this.runtime.delta("m-1", "first ");
        HttpResponse<InputStream> response = send("m-1", CREDENTIAL);
        assertThat(response.statusCode()).isEqualTo(200);
        try (EventStreamReader events = new EventStreamReader(response.body())) {
            assertThat(events.next().text("text")).isEqualTo("first ");
        }

        // the next writes fail once the connection is gone
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            this.runtime.delta("m-1", "more ");
            return !this.runtime.aborts.isEmpty();
        });
        assertThat(this.runtime.aborts).containsExactly("the client of the streamed message went away");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 0);
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void runtimeFailureAfterTheStartShouldEndTheStreamWithAnErrorProblem() throws Exception {
        this.runtime.delta("m-1", "part").fail("m-1", "gateway closed the connection");

        HttpResponse<InputStream> response = send("m-1", CREDENTIAL);

        assertThat(response.statusCode()).isEqualTo(200);
        try (EventStreamReader events = new EventStreamReader(response.body())) {
            List<EventStreamReader.Event> all = events.rest();
            assertThat(all)
                    .extracting(EventStreamReader.Event::name)
                    .containsExactly(TaskEventTypes.DELTA, TaskEventTypes.ERROR);
            JsonNode problem = all.getLast().data();
            assertThat(problem.get("status").asInt()).isEqualTo(502);
            assertThat(problem.get("type").asString()).isEqualTo(ProblemType.PREFIX + "runtime-failure");
            assertThat(problem.get("detail").asString()).contains("gateway closed the connection");
        }
    }

    @Test
    void repeatOfARunningIdShouldNotRunItTwiceAndShouldGetTheFirstRunsReply() throws Exception {
        HttpResponse<InputStream> first = send("m-1", CREDENTIAL);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 1);
        CompletableFuture<HttpResponse<String>> repeat =
                this.http.sendAsync(request("m-1", CREDENTIAL), BodyHandlers.ofString());

        this.runtime.delta("m-1", "once").finish("m-1");

        try (EventStreamReader events = new EventStreamReader(first.body())) {
            assertThat(events.rest().getLast().text("response")).isEqualTo("once");
        }
        HttpResponse<String> repeated = repeat.get(30, TimeUnit.SECONDS);
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(repeated.body()).contains("event: done").contains("\"response\":\"once\"");
        assertThat(this.runtime.requests).hasSize(1);
    }

    @Test
    void refusalsBeforeTheRunShouldKeepTheirOwnStatusNot200() throws Exception {
        assertProblem(sendString("m-1", null), 401, "missing-credential");
        assertProblem(sendString("m-1", NODE_TOKEN), 403, "invalid-credential");

        this.runtime.connected = false;
        HttpResponse<String> down = sendString("m-1", CREDENTIAL);
        assertProblem(down, 503, "runtime-unavailable");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
        this.runtime.connected = true;

        HttpResponse<InputStream> busy = send("m-1", CREDENTIAL);
        assertThat(busy.statusCode()).isEqualTo(200);
        assertProblem(sendString("m-2", CREDENTIAL), 429, "node-at-capacity");
        busy.body().close();
        assertThat(this.runtime.requests).hasSize(1);
    }

    private HttpResponse<InputStream> send(String id, @Nullable String credential) throws Exception {
        return this.http.send(request(id, credential), BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> sendString(String id, @Nullable String credential) throws Exception {
        return this.http.send(request(id, credential), BodyHandlers.ofString());
    }

    private HttpRequest request(String id, @Nullable String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + this.server.port() + ApiPaths.AGENT_MESSAGES))
                .header("Content-Type", "application/json")
                .header("Accept", TaskEventTypes.EVENT_STREAM)
                .POST(BodyPublishers.ofString("{\"id\":\"" + id + "\",\"content\":\"hello\",\"source\":\"cli\"}"));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request.build();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiPaths.PROBLEM_JSON);
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo(ProblemType.PREFIX + slug);
    }
}
