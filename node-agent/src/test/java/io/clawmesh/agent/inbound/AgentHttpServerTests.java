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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The inbound API over real HTTP on 127.0.0.1: statuses, problem bodies, auth, limits and the health endpoint. */
class AgentHttpServerTests {

    private static final String NODE_ID = "node-0123456789abcdef";

    private static final String NODE_TOKEN = "node-secret-token";

    private static final String CREDENTIAL =
            NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

    private static final AtomicInteger MESSAGE_IDS = new AtomicInteger();

    private static final String HELLO = hello("msg-1");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final RegistrationState state = new RegistrationState();

    private final ScriptedRuntime runtime = new ScriptedRuntime();

    private final CapacityGate gate = new CapacityGate(1);

    private AgentHttpServer server;

    @BeforeEach
    void startRegistered() {
        this.state.use(new NodeIdentity(NODE_ID, NODE_TOKEN, "http://127.0.0.1:9180"));
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T23:00:00Z"), ZoneOffset.UTC);
        MessageDispatcher dispatcher = new MessageDispatcher(this.runtime, this.gate, clock, Duration.ofMinutes(5));
        this.server = InboundConfiguration.server(
                "127.0.0.1",
                0,
                Duration.ofSeconds(1),
                dispatcher,
                new AgentTasks(
                        this.runtime,
                        this.gate,
                        clock,
                        Duration.ofHours(1),
                        100,
                        Duration.ofMinutes(5),
                        (run) -> Thread.ofVirtual().start(run)),
                this.state,
                this.runtime,
                this.gate,
                new LocalNode("mac-mini", Path.of("/nonexistent")),
                List.of());
        this.server.start();
    }

    @AfterEach
    void stop() {
        this.runtime.release.countDown();
        this.server.stop();
    }

    @Test
    void startWithPortZeroShouldListenOnAFreePortAndExposeIt() {
        assertThat(this.server.isRunning()).isTrue();
        assertThat(this.server.port()).isPositive();
    }

    @Test
    void receiveWithValidCredentialShouldAnswerTheEchoAndPassTheIdAsIdempotencyKey() throws Exception {
        HttpResponse<String> response = send(HELLO, CREDENTIAL);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("message_id").asString()).isEqualTo("msg-1");
        assertThat(body.get("node_id").asString()).isEqualTo(NODE_ID);
        assertThat(body.get("response").asString()).isEqualTo("[claw-mesh echo] hello");
        assertThat(this.runtime.requests).singleElement().satisfies((request) -> {
            assertThat(request.messageId()).isEqualTo("msg-1");
            assertThat(request.sessionKey()).isEqualTo("s-1");
            assertThat(request.source()).isEqualTo("cli");
            assertThat(request.deadline()).isEqualTo(Instant.parse("2026-11-23T23:05:00Z"));
        });
    }

    @Test
    void receiveTwiceOnOneConnectionShouldKeepTheConnectionAlive() throws Exception {
        HttpResponse<String> first = send(hello(), CREDENTIAL);
        HttpResponse<String> second = send(hello(), CREDENTIAL);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Connection")).isEmpty();
        assertThat(this.runtime.requests).hasSize(2);
    }

    @Test
    void receiveWithoutCredentialShouldAnswer401Problem() throws Exception {
        HttpResponse<String> response = send(HELLO, null);

        assertProblem(response, 401, "missing-credential");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithWrongCredentialShouldAnswer403Problem() throws Exception {
        String raw = NodeCredentials.deliveryCredential(NodeCredentials.hash("another-token"), NODE_ID);

        assertProblem(send(HELLO, raw), 403, "invalid-credential");
        assertProblem(send(HELLO, NODE_TOKEN), 403, "invalid-credential");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveBeforeRegistrationShouldAnswer503Problem() throws Exception {
        this.state.clear();

        HttpResponse<String> response = send(hello(), CREDENTIAL);

        assertProblem(response, 503, "not-registered");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(detail(response)).contains("not registered yet");
    }

    @Test
    void receiveWithMalformedJsonShouldAnswer400Problem() throws Exception {
        HttpResponse<String> response = send("{\"id\":\"msg-1\",\"content\":", CREDENTIAL);

        assertProblem(response, 400, "malformed-json");
        assertThat(detail(response)).contains("not valid JSON");
    }

    @Test
    void receiveWithUnknownFieldShouldAnswer400ProblemNamingTheField() throws Exception {
        HttpResponse<String> response = send("{\"id\":\"msg-1\",\"content\":\"hi\",\"priority\":9}", CREDENTIAL);

        assertProblem(response, 400, "unknown-field");
        assertThat(detail(response)).contains("'priority'");
    }

    @Test
    void receiveWithWrongTypeShouldAnswer400ProblemNamingTheField() throws Exception {
        HttpResponse<String> response =
                send("{\"id\":\"msg-1\",\"content\":\"hi\",\"created_at\":\"yesterday\"}", CREDENTIAL);

        assertProblem(response, 400, "invalid-field-type");
        assertThat(detail(response)).contains("'created_at'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"42", "true", "4.2"})
    void receiveWithScalarOtherThanTextAsContentShouldAnswer400ProblemNamingTheField(String content) throws Exception {
        HttpResponse<String> response = send("{\"id\":\"msg-1\",\"content\":" + content + "}", CREDENTIAL);

        assertProblem(response, 400, "invalid-field-type");
        assertThat(detail(response)).contains("'content'");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithoutContentShouldAnswer400ProblemNamingTheField() throws Exception {
        HttpResponse<String> response = send("{\"id\":\"msg-1\"}", CREDENTIAL);

        assertProblem(response, 400, "invalid-input");
        assertThat(detail(response)).contains("'content'");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithEmptyBodyShouldAnswer400Problem() throws Exception {
        assertProblem(send("", CREDENTIAL), 400, "unreadable-body");
    }

    @Test
    void receiveWithBodyOverOneMebibyteShouldAnswer413Problem() throws Exception {
        String content = "x".repeat(1024 * 1024);

        HttpResponse<String> response = send("{\"id\":\"msg-1\",\"content\":\"" + content + "\"}", CREDENTIAL);

        assertProblem(response, 413, "payload-too-large");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithStreamedBodyOverOneMebibyteShouldAnswer413Problem() throws Exception {
        byte[] body =
                ("{\"id\":\"msg-1\",\"content\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        // no Content-Length: the client sends the body chunked, so only counting while reading finds the size
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));

        HttpResponse<String> response = send(chunked, CREDENTIAL, "application/json");

        assertProblem(response, 413, "payload-too-large");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithoutJsonContentTypeShouldAnswer415Problem() throws Exception {
        HttpResponse<String> response = send(BodyPublishers.ofString(HELLO), CREDENTIAL, "text/plain");

        assertProblem(response, 415, "unsupported-media-type");
        assertThat(this.runtime.requests).isEmpty();
    }

    @Test
    void receiveWithWrongMethodShouldAnswer405Problem() throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(uri(ApiPaths.AGENT_MESSAGES)).GET().build(), BodyHandlers.ofString());

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow"))
                .hasValueSatisfying((allow) -> assertThat(allow).contains("POST"));
    }

    @Test
    void requestToUnknownPathShouldAnswer404Problem() throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(uri("/api/v1/nothing")).GET().build(), BodyHandlers.ofString());

        assertProblem(response, 404, "not-found");
        assertThat(JSON.readTree(response.body()).get("instance").asString()).isEqualTo("/api/v1/nothing");
    }

    @Test
    void receiveWhenAllSlotsTakenShouldAnswer429Problem() throws Exception {
        this.runtime.mode = ScriptedRuntime.Mode.BLOCK;
        this.runtime.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> sendUnchecked(hello()));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 1);

        HttpResponse<String> second = send(hello(), CREDENTIAL);
        this.runtime.release.countDown();

        assertProblem(second, 429, "node-at-capacity");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(detail(second)).contains("node at capacity (1 concurrent messages)");
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void receiveWhenRuntimeFailsShouldAnswer502ProblemNamingTheRuntime() throws Exception {
        this.runtime.mode = ScriptedRuntime.Mode.FAIL;

        HttpResponse<String> response = send(hello(), CREDENTIAL);

        assertProblem(response, 502, "runtime-failure");
        assertThat(detail(response)).contains("openclaw").contains("connection refused");
        assertThat(JSON.readTree(response.body()).get("runtime").asString()).isEqualTo("openclaw");
        assertThat(this.gate.inflight()).isZero();
    }

    @Test
    void healthWithoutCredentialShouldAnswerStatusAndRevealNoSecret() throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(uri(ApiPaths.AGENT_HEALTH)).GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"status\":\"ok\",\"runtime\":{\"kind\":\"echo\",\"version\":null,"
                        + "\"connected\":true},\"name\":\"mac-mini\",\"node_id\":\"" + NODE_ID
                        + "\",\"inflight\":0,\"capacity\":1}"));
        assertThat(response.body())
                .doesNotContain(NODE_TOKEN)
                .doesNotContain(CREDENTIAL)
                .doesNotContain(NodeCredentials.hash(NODE_TOKEN));
    }

    @Test
    void stopShouldLetAMessageInFlightFinish() throws Exception {
        this.runtime.mode = ScriptedRuntime.Mode.BLOCK;
        this.runtime.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> sendUnchecked(hello()));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.gate.inflight() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.server::stop);
        Thread.ofVirtual().start(() -> {
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            this.runtime.release.countDown();
        });

        assertThat(inFlight.join().statusCode()).isEqualTo(200);
        stopping.join();
        assertThat(this.server.isRunning()).isFalse();
    }

    private HttpResponse<String> send(String body, @Nullable String credential)
            throws IOException, InterruptedException {
        return send(BodyPublishers.ofString(body), credential, "application/json");
    }

    private HttpResponse<String> send(BodyPublisher body, @Nullable String credential, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(ApiPaths.AGENT_MESSAGES))
                .header("Content-Type", contentType)
                .POST(body);
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return this.http.send(request.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> sendUnchecked(String body) {
        try {
            return send(body, CREDENTIAL);
        } catch (IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.server.port() + path);
    }

    private static String detail(HttpResponse<String> response) {
        return JSON.readTree(response.body()).get("detail").asString();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiPaths.PROBLEM_JSON);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asString()).isEqualTo(ProblemType.PREFIX + slug);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(body.get("instance").asString()).startsWith("/");
    }

    /** A message with a fresh id: the agent answers a repeated id from its first run. */
    private static String hello() {
        return hello("msg-" + (1000 + MESSAGE_IDS.incrementAndGet()));
    }

    private static String hello(String id) {
        return "{\"id\":\"" + id + "\",\"content\":\"hello\",\"source\":\"cli\","
                + "\"session_key\":\"s-1\",\"created_at\":\"2026-11-23T23:00:00Z\"}";
    }
}
