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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code DELETE /api/v1/messages/{id}}: the coordinator cancels a message running here, answered whole or streamed,
 * over real HTTP on 127.0.0.1; and who may not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageCancelTests {

    private static final String NODE_ID = "node-0123456789abcdef";

    private static final String NODE_TOKEN = "node-secret-token";

    private static final String CREDENTIAL =
            NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

    private static final String CANCELED = "canceled by the coordinator: its client went away";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final RegistrationState state = new RegistrationState();

    private final StreamingRuntime runtime = new StreamingRuntime();

    private final CapacityGate gate = new CapacityGate(2);

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
    void cancelShouldStopAMessageAnsweredWholeAndItsRequestShouldAnswerTheAbort() throws Exception {
        CompletableFuture<HttpResponse<String>> message = sendAsync("m-1", "application/json");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 1);

        HttpResponse<String> canceled = cancel("m-1", CREDENTIAL);

        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(204);
        assertThat(this.runtime.aborts).containsExactly(CANCELED);
        HttpResponse<String> answer = message.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as("the runtime's failure, not a reply").isEqualTo(502);
        assertThat(answer.body()).contains(CANCELED);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 0);
        assertProblem(cancel("m-1", CREDENTIAL), 404, "not-found");
    }

    @Test
    void cancelShouldStopAStreamedMessageWithAnErrorEvent() throws Exception {
        this.runtime.delta("m-1", "first ");
        HttpResponse<InputStream> response =
                this.http.send(request("m-1", TaskEventTypes.EVENT_STREAM), BodyHandlers.ofInputStream());
        try (EventStreamReader events = new EventStreamReader(response.body())) {
            assertThat(events.next().text("text")).isEqualTo("first ");

            assertThat(cancel("m-1", CREDENTIAL).statusCode()).isEqualTo(204);

            assertThat(events.rest()).extracting(EventStreamReader.Event::name).containsExactly(TaskEventTypes.ERROR);
        }
        assertThat(this.runtime.aborts).containsExactly(CANCELED);
    }

    @Test
    void cancelShouldOnlyStopTheMessageItNames() throws Exception {
        CompletableFuture<HttpResponse<String>> first = sendAsync("m-1", "application/json");
        CompletableFuture<HttpResponse<String>> second = sendAsync("m-2", "application/json");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 2);

        assertThat(cancel("m-2", CREDENTIAL).statusCode()).isEqualTo(204);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(502);

        this.runtime.delta("m-1", "done").finish("m-1");
        HttpResponse<String> answer = first.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("response").asString()).isEqualTo("done");
    }

    @Test
    void cancelShouldBeRefusedWithoutThisNodesCredentialOrWithABadIdAndLeaveTheRunAlone() throws Exception {
        CompletableFuture<HttpResponse<String>> message = sendAsync("m-1", "application/json");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.running.get() == 1);

        assertProblem(cancel("m-1", null), 401, "missing-credential");
        assertProblem(cancel("m-1", NODE_TOKEN), 403, "invalid-credential");
        assertProblem(
                cancel("m-1", NodeCredentials.deliveryCredential(NodeCredentials.hash("other"), NODE_ID)),
                403,
                "invalid-credential");
        assertProblem(cancel("m%2F1", CREDENTIAL), 400, "invalid-input");
        assertProblem(cancel("x".repeat(101), CREDENTIAL), 400, "invalid-input");
        assertProblem(cancel("m-unknown", CREDENTIAL), 404, "not-found");
        HttpResponse<String> get = this.http.send(
                HttpRequest.newBuilder(messageUri("m-1"))
                        .header("Authorization", "Bearer " + CREDENTIAL)
                        .GET()
                        .build(),
                BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        assertThat(this.runtime.aborts).isEmpty();
        this.runtime.delta("m-1", "still here").finish("m-1");
        assertThat(message.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void cancelShouldBeRefusedBeforeRegistration() throws Exception {
        RegistrationState unregistered = new RegistrationState();
        this.server.stop();
        this.server = InboundConfiguration.server(
                "127.0.0.1",
                0,
                Duration.ofSeconds(1),
                new MessageDispatcher(this.runtime, this.gate, Clock.systemUTC(), Duration.ofMinutes(5)),
                this.tasks,
                unregistered,
                this.runtime,
                this.gate,
                new LocalNode("mac-mini", Path.of("/nonexistent")),
                List.of());
        this.server.start();

        assertProblem(cancel("m-1", CREDENTIAL), 503, "not-registered");
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String id, String accept) {
        return this.http.sendAsync(request(id, accept), BodyHandlers.ofString());
    }

    private HttpResponse<String> cancel(String id, @Nullable String credential) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(messageUri(id)).DELETE();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return this.http.send(request.build(), BodyHandlers.ofString());
    }

    private URI messageUri(String id) {
        return URI.create("http://127.0.0.1:" + this.server.port() + ApiPaths.AGENT_MESSAGES + "/" + id);
    }

    private HttpRequest request(String id, String accept) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + ApiPaths.AGENT_MESSAGES))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header("Authorization", "Bearer " + CREDENTIAL)
                .POST(BodyPublishers.ofString("{\"id\":\"" + id + "\",\"content\":\"hello\",\"source\":\"openai\"}"))
                .build();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiPaths.PROBLEM_JSON);
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo(ProblemType.PREFIX + slug);
    }
}
