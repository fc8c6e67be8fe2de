package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.registry.InflightTracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code POST /api/v1/route} with {@code Accept: text/event-stream} over real HTTP, with fake agents that stream their
 * replies at a runtime's pace: deltas before the end, failover only before a node accepted, errors before the stream as
 * problems and after it as an {@code error} event, the security chain in front, and no slot leaked by a client that
 * leaves. The routing fast path is on, so these requests also show that it leaves streamed routes to the general path.
 */
@TestPropertySource(properties = {"mesh.security.allow-private=true", "mesh.forwarding.timeout=5s"})
class RouteStreamIntegrationTests extends ApiIntegrationTestSupport {

    private static final String EVENT_STREAM = "text/event-stream";

    private final HttpClient http = HttpClient.newHttpClient();

    private final List<FakeAgent> agents = new ArrayList<>();

    @Autowired
    InflightTracker inflight;

    @AfterEach
    void stopAgents() {
        this.agents.forEach(FakeAgent::close);
        this.http.close();
    }

    @Test
    void streamedRouteShouldNameTheNodeThenSendDeltasAsTheyArriveThenDoneWithTheirConcatenation() throws Exception {
        FakeAgent alpha =
                agent("alpha").always(Reply.streamed("one ", "two ", "three").pausedAfter(2));
        String alphaId = register("alpha", alpha.endpoint()).id();

        HttpResponse<InputStream> response = stream(ROUTE, OPERATOR_TOKEN, "{\"content\":\"count\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith(EVENT_STREAM));
        assertThat(response.headers().firstValue("X-Content-Type-Options"))
                .as("the API's security headers")
                .hasValue("nosniff");
        try (EventReader events = new EventReader(response.body())) {
            assertThat(events.next())
                    .as("the node that accepted the message, before any text")
                    .isEqualTo(new Event("started", "{\"node_id\":\"" + alphaId + "\",\"node_name\":\"alpha\"}"));
            assertThat(events.next()).isEqualTo(new Event("delta", "{\"text\":\"one \"}"));
            assertThat(events.next()).isEqualTo(new Event("delta", "{\"text\":\"two \"}"));
            assertThat(this.inflight.get(alphaId))
                    .as("still running on the node")
                    .isOne();
            alpha.release();
            assertThat(events.next()).isEqualTo(new Event("delta", "{\"text\":\"three\"}"));
            Event done = events.next();
            assertThat(done.type()).isEqualTo("done");
            assertThat((String) JsonPath.read(done.data(), "$.response")).isEqualTo("one two three");
            assertThat((String) JsonPath.read(done.data(), "$.node_id")).isEqualTo(alphaId);
            assertThat((String) JsonPath.read(done.data(), "$.node_name")).isEqualTo("alpha");
            assertThat((String) JsonPath.read(done.data(), "$.message_id")).startsWith("msg-");
            assertThat(events.next()).as("the stream ends after done").isNull();
        }
        assertThat(alpha.received())
                .singleElement()
                .satisfies((request) -> assertThat(request.headers()).containsEntry("Accept", EVENT_STREAM));
        assertThat(loggedStatuses()).containsExactly(200);
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void streamedRouteWhenFirstNodeAnswers503ShouldStreamFromTheNextOne() throws Exception {
        FakeAgent refusing = agent("refusing").always(Reply.problem(503, "runtime is down"));
        FakeAgent streaming = agent("streaming").always(Reply.streamed("Hel", "lo"));
        register("refusing", refusing.endpoint());
        RegisteredNode second = register("streaming", streaming.endpoint());
        // the streaming node reports one message in flight, so least-busy tries the refusing node first
        assertThat(post(
                        second.token(),
                        NODES + "/" + second.id() + "/heartbeat",
                        ApiFixtures.with(ApiFixtures.heartbeat("online"), "inflight", 1)))
                .hasStatus(204);

        List<Event> events = allEvents(stream(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}"));

        assertThat(events).extracting(Event::type).containsExactly("started", "delta", "delta", "done");
        assertThat((String) JsonPath.read(events.get(0).data(), "$.node_name"))
                .as("only the node that accepted is named")
                .isEqualTo("streaming");
        assertThat((String) JsonPath.read(events.get(3).data(), "$.node_name")).isEqualTo("streaming");
        assertThat(refusing.received()).hasSize(1);
        assertThat(streaming.receivedMessageIds()).isEqualTo(refusing.receivedMessageIds());
    }

    @Test
    void streamedRouteWhenNodeBreaksOffMidStreamShouldEndWithAnErrorEventAndNotResend() throws Exception {
        FakeAgent breaking = agent("breaking").always(Reply.streamedThenBrokenOff("partial "));
        FakeAgent healthy = agent("healthy").always(Reply.streamed("never"));
        register("breaking", breaking.endpoint());
        RegisteredNode other = register("healthy", healthy.endpoint());
        assertThat(post(
                        other.token(),
                        NODES + "/" + other.id() + "/heartbeat",
                        ApiFixtures.with(ApiFixtures.heartbeat("online"), "inflight", 1)))
                .hasStatus(204);

        HttpResponse<InputStream> response = stream(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}");
        List<Event> events = allEvents(response);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(events).extracting(Event::type).containsExactly("started", "delta", "error");
        String problem = events.get(2).data();
        assertThat((String) JsonPath.read(problem, "$.type")).isEqualTo("urn:clawmesh:problem:forwarding-failed");
        assertThat((String) JsonPath.read(problem, "$.title")).isNotBlank();
        assertThat((Integer) JsonPath.read(problem, "$.status")).isEqualTo(502);
        assertThat((String) JsonPath.read(problem, "$.detail"))
                .contains("breaking accepted the message but its stream broke off");
        assertThat((String) JsonPath.read(problem, "$.message_id"))
                .isEqualTo(breaking.receivedMessageIds().get(0));
        assertThat(healthy.received()).as("never sent elsewhere").isEmpty();
        assertThat(loggedStatuses()).containsExactly(502);
        assertThat(this.inflight.total()).isZero();
    }

    @Test
    void streamedRouteToANamedNodeShouldStreamFromIt() throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.streamed("not me"));
        FakeAgent beta = agent("beta").always(Reply.streamed("from ", "beta"));
        register("alpha", alpha.endpoint());
        String betaId = register("beta", beta.endpoint()).id();

        List<Event> events = allEvents(stream(ROUTE + "/beta", OPERATOR_TOKEN, "{\"content\":\"hi\"}"));

        assertThat(events)
                .extracting(Event::type, Event::data)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple(
                                "started", "{\"node_id\":\"" + betaId + "\",\"node_name\":\"beta\"}"),
                        org.assertj.core.groups.Tuple.tuple("delta", "{\"text\":\"from \"}"),
                        org.assertj.core.groups.Tuple.tuple("delta", "{\"text\":\"beta\"}"));
        assertThat((String) JsonPath.read(events.get(3).data(), "$.response")).isEqualTo("from beta");
        assertThat(alpha.received()).isEmpty();
    }

    @Test
    void streamedRouteFromAnAgentThatAnswersJsonShouldStreamTheWholeAnswerAsOneDelta() throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.answer("all at once"));
        register("alpha", alpha.endpoint());

        List<Event> events = allEvents(stream(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}"));

        assertThat(events).extracting(Event::type).containsExactly("started", "delta", "done");
        assertThat(events.get(1).data()).isEqualTo("{\"text\":\"all at once\"}");
    }

    @Test
    void routeAcceptingAnythingShouldStillAnswerJson() throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.answer("pong"));
        register("alpha", alpha.endpoint());

        HttpResponse<String> response = this.http.send(
                request(ROUTE, OPERATOR_TOKEN, "{\"content\":\"ping\"}", "*/*"), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat((String) JsonPath.read(response.body(), "$.response")).isEqualTo("pong");
        assertThat(alpha.received())
                .singleElement()
                .satisfies((request) -> assertThat(request.headers()).containsEntry("Accept", "application/json"));
    }

    @Test
    void routeAskingForEventsAmongOtherTypesShouldStreamThoughTheFastPathServesJson() throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.streamed("a", "b"));
        register("alpha", alpha.endpoint());

        HttpResponse<InputStream> response = this.http.send(
                request(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}", "text/event-stream, application/json"),
                BodyHandlers.ofInputStream());

        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith(EVENT_STREAM));
        assertThat(allEvents(response)).extracting(Event::type).containsExactly("started", "delta", "delta", "done");
    }

    @Test
    void streamedRouteWithoutAnyNodeShouldAnswer503Problem() throws Exception {
        assertProblem(streamAsText(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}"), 503, "no-route");
    }

    @Test
    void streamedRouteToAnUnknownNodeShouldAnswer404Problem() throws Exception {
        register("alpha", agent("alpha").endpoint());

        assertProblem(
                streamAsText(ROUTE + "/" + ApiFixtures.UNKNOWN_NODE_ID, OPERATOR_TOKEN, "{\"content\":\"hi\"}"),
                404,
                "node-not-found");
    }

    @Test
    void streamedRouteWhenEveryNodeFailsBeforeAcceptingShouldAnswer502Problem() throws Exception {
        register("dead", FakeAgent.deadEndpoint());

        String detail =
                assertProblem(streamAsText(ROUTE, OPERATOR_TOKEN, "{\"content\":\"hi\"}"), 502, "forwarding-failed");

        assertThat(detail).contains("connection refused");
    }

    @Test
    void streamedRouteWithoutTokenShouldAnswer401ProblemAndChangeNothing() throws Exception {
        register("alpha", agent("alpha").always(Reply.streamed("x")).endpoint());
        MeshState before = state();

        assertProblem(streamAsText(ROUTE, null, "{\"content\":\"hi\"}"), 401, "unauthorized");

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void streamedRouteWithANodeTokenShouldAnswer403ProblemAndChangeNothing() throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.streamed("x"));
        RegisteredNode node = register("alpha", alpha.endpoint());
        MeshState before = state();

        assertProblem(streamAsText(ROUTE, node.token(), "{\"content\":\"hi\"}"), 403, "forbidden");
        assertProblem(streamAsText(ROUTE + "/alpha", node.token(), "{\"content\":\"hi\"}"), 403, "forbidden");

        assertThat(state()).isEqualTo(before);
        assertThat(alpha.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"content\":",
                "[1,2]",
                "{\"content\":\"hi\",\"priority\":1}",
                "{\"content\":{\"a\":1}}",
                "{\"content\":\"   \"}",
                "null",
                ""
            })
    void streamedRouteWithABadBodyShouldAnswer400ProblemAndChangeNothing(String body) throws Exception {
        FakeAgent alpha = agent("alpha").always(Reply.streamed("x"));
        register("alpha", alpha.endpoint());
        MeshState before = state();

        Answer answer = streamAsText(ROUTE, OPERATOR_TOKEN, body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(state()).isEqualTo(before);
        assertThat(alpha.received()).isEmpty();
    }

    @Test
    void streamedRouteWithAnOversizeBodyShouldAnswer413Problem() throws Exception {
        String body = "{\"content\":\"" + "x".repeat(1024 * 1024 + 16) + "\"}";
        MeshState before = state();

        assertProblem(streamAsText(ROUTE, OPERATOR_TOKEN, body), 413, "payload-too-large");

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void streamedRouteToABadNodeIdShouldAnswerAProblem() throws Exception {
        Answer answer = streamAsText(ROUTE + "/no%20such%20node", OPERATOR_TOKEN, "{\"content\":\"hi\"}");

        assertThat(answer.status()).isBetween(400, 404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void streamedRouteWhenTheClientDisconnectsShouldCloseTheNodesStreamAndFreeTheSlot() throws Exception {
        FakeAgent endless = agent("endless").always(Reply.streamedWithoutEnd("more ", "first "));
        String endlessId = register("endless", endless.endpoint()).id();
        byte[] body = "{\"content\":\"go on\"}".getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + ROUTE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + OPERATOR_TOKEN
                            + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
                            + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            assertThat(line).startsWith("HTTP/1.1 200");
            while (line != null && !line.contains("\"text\":\"more \"")) {
                line = reader.readLine();
            }
            assertThat(line).as("the stream is running").isNotNull();
            assertThat(this.inflight.get(endlessId)).isOne();
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> this.inflight.total() == 0);
        await().atMost(10, TimeUnit.SECONDS).until(() -> endless.abandonedStreams() == 1);
        assertThat(loggedStatuses()).containsExactly(499);
    }

    private FakeAgent agent(String name) {
        FakeAgent agent = FakeAgent.start(name);
        this.agents.add(agent);
        return agent;
    }

    private List<Integer> loggedStatuses() {
        return this.messageLog.recent(1000).stream().map(MessageRecord::status).toList();
    }

    private HttpRequest request(String path, @Nullable String token, String body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .POST(BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private HttpResponse<InputStream> stream(String path, @Nullable String token, String body) throws Exception {
        return this.http.send(request(path, token, body, EVENT_STREAM), BodyHandlers.ofInputStream());
    }

    private Answer streamAsText(String path, @Nullable String token, String body) throws Exception {
        HttpResponse<String> response =
                this.http.send(request(path, token, body, EVENT_STREAM), BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private static String assertProblem(Answer answer, int status, String slug) {
        return assertProblem(answer.status(), answer.contentType(), answer.body(), status, slug);
    }

    private static List<Event> allEvents(HttpResponse<InputStream> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        try (EventReader reader = new EventReader(response.body())) {
            for (Event event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        }
        return events;
    }

    record Answer(int status, String contentType, String body) {}

    record Event(String type, String data) {}

    /** Reads server-sent events line by line as they arrive (only the {@code event:} and {@code data:} fields). */
    private static final class EventReader implements AutoCloseable {

        private final BufferedReader reader;

        EventReader(InputStream in) {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Nullable
        Event next() throws IOException {
            Map<String, String> fields = new java.util.HashMap<>();
            for (String line = this.reader.readLine(); line != null; line = this.reader.readLine()) {
                if (line.isEmpty()) {
                    if (fields.containsKey("data")) {
                        return new Event(fields.getOrDefault("event", "message"), fields.get("data"));
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(
                            line.substring(0, colon), line.substring(colon + 1).stripLeading());
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            this.reader.close();
        }
    }
}
