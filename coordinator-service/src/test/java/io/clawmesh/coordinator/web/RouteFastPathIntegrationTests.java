package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.coordinator.events.EventStream;
import io.clawmesh.coordinator.events.RoutingEventPublisher;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.forwarding.RouteController;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The routing hot path ({@code RouteRequestFilter}) against the general path (security chain, Spring MVC and
 * {@link RouteController}) over real HTTP: the same request must get the same status, headers and body from both, and
 * the hot path must really be the one taken for an operator's JSON request. Every response header is compared but
 * {@code Date} and {@code Content-Length}. The general path is reached with a body
 * declared as ISO-8859-1 (plain ASCII here, so the bytes are the same), which the hot path leaves alone.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class RouteFastPathIntegrationTests extends ApiIntegrationTestSupport {

    private static final String FAST = "application/json";

    private static final String GENERAL = "application/json;charset=ISO-8859-1";

    /** Headers that differ between any two answers, or by how the body is framed; every other header is compared. */
    private static final Set<String> IGNORED_HEADERS = Set.of("date", "content-length");

    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable FakeAgent agent;

    @MockitoSpyBean
    RouteController controller;

    @Autowired
    EventStream events;

    @Autowired
    MessageForwarder forwarder;

    @Autowired
    RoutingEventPublisher routingEvents;

    @Autowired
    ObjectProvider<ApplicationEventPublisher> publishers;

    @BeforeEach
    void oneEchoAgent() {
        this.agent = FakeAgent.start("alpha").always(FakeAgent.Reply.answer("pong"));
        register("alpha", this.agent.endpoint());
        clearInvocations(this.controller);
    }

    @AfterEach
    void stopAgent() {
        if (this.agent != null) {
            this.agent.close();
        }
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("auto-routed", true, ROUTE, "{\"content\":\"ping\",\"source\":\"test\"}"),
                Arguments.of("to a node by name", true, ROUTE + "/alpha", "{\"content\":\"ping\"}"),
                Arguments.of("with a session key", true, ROUTE, "{\"content\":\"ping\",\"session_key\":\"s-1\"}"),
                Arguments.of(
                        "to an unknown node", true, ROUTE + "/" + ApiFixtures.UNKNOWN_NODE_ID, "{\"content\":\"hi\"}"),
                Arguments.of("broken JSON", false, ROUTE, "{\"content\":"),
                Arguments.of("not an object", false, ROUTE, "[1,2]"),
                Arguments.of("an unknown field", false, ROUTE, "{\"content\":\"hi\",\"priority\":1}"),
                Arguments.of("a wrong type", false, ROUTE, "{\"content\":{\"a\":1}}"),
                Arguments.of("blank content", true, ROUTE, "{\"content\":\"   \"}"),
                Arguments.of("no content", true, ROUTE, "{\"source\":\"x\"}"),
                Arguments.of("an empty body", false, ROUTE, ""),
                Arguments.of("a JSON null", false, ROUTE, "null"),
                Arguments.of(
                        "a long session key",
                        true,
                        ROUTE,
                        "{\"content\":\"hi\",\"session_key\":\"" + "k".repeat(257) + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void hotPathShouldAnswerExactlyAsTheGeneralPath(String name, boolean readable, String path, String body)
            throws Exception {
        Answer fast = send(path, FAST, ApiFixtures.OPERATOR_TOKEN, body);
        assertThat(controllerCalls())
                .as("the hot path served it, not the controller")
                .isZero();

        Answer general = send(path, GENERAL, ApiFixtures.OPERATOR_TOKEN, body);
        assertThat(controllerCalls())
                .as("the general path served it (an unreadable body never reaches the controller)")
                .isEqualTo(readable ? 1 : 0);

        assertThat(fast).isEqualTo(general);
    }

    @Test
    void oversizeChunkedBodyShouldBeRefusedAlikeOnBothPaths() throws Exception {
        byte[] oversize = ApiFixtures.oversizeBody(1024 * 1024 + 16);

        Answer fast = send(ROUTE, FAST, ApiFixtures.OPERATOR_TOKEN, chunked(oversize));
        Answer general = send(ROUTE, GENERAL, ApiFixtures.OPERATOR_TOKEN, chunked(oversize));

        assertProblem(fast.status(), fast.headers().get("content-type"), fast.body(), 413, "payload-too-large");
        assertThat(fast).isEqualTo(general);
        assertThat(this.messageLog.recent(1000)).isEmpty();
    }

    @Test
    void hotPathShouldRouteTheMessageAndLogIt() throws Exception {
        Answer answer = send(ROUTE, FAST, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"response\":\"pong\"", "\"node_name\":\"alpha\"");
        assertThat(answer.headers()).containsEntry("x-content-type-options", "nosniff");
        assertThat(this.messageLog.recent(1000))
                .filteredOn((record) -> record.status() == 200)
                .hasSize(1);
        String metrics = this.http
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
                                .build(),
                        BodyHandlers.ofString())
                .body();
        assertThat(metrics.lines())
                .as("the HTTP server metrics name the route's pattern")
                .anyMatch((line) -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("uri=\"/api/v1/route\"")
                        && line.contains("status=\"200\""));
    }

    @Test
    void bothPathsShouldBeTimedInOneHttpServerSeriesWithTheObservationsTags() throws Exception {
        String route = "uri=\"" + ROUTE + "\"";
        String toNode = "uri=\"" + ROUTE + "/{node}\"";
        String ok = "error=\"none\",exception=\"none\"";
        double routedBefore = count(metrics(), route, "status=\"200\"");
        double unknownBefore = count(metrics(), toNode, "status=\"404\"");

        assertThat(send(ROUTE, FAST, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}")
                        .status())
                .isEqualTo(200);
        assertThat(send(ROUTE, GENERAL, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}")
                        .status())
                .isEqualTo(200);
        assertThat(send(
                                ROUTE + "/" + ApiFixtures.UNKNOWN_NODE_ID,
                                FAST,
                                ApiFixtures.OPERATOR_TOKEN,
                                "{\"content\":\"x\"}")
                        .status())
                .isEqualTo(404);
        assertThat(controllerCalls()).as("two of the three took the hot path").isOne();

        String metrics = metrics();
        assertThat(count(metrics, route, "status=\"200\"", ok, "method=\"POST\"", "outcome=\"SUCCESS\""))
                .as("the hot path's answer and the general path's in one series")
                .isEqualTo(routedBefore + 2);
        assertThat(count(metrics, toNode, "status=\"404\"", ok, "method=\"POST\"", "outcome=\"CLIENT_ERROR\""))
                .isEqualTo(unknownBefore + 1);
    }

    @Test
    void theForwarderShouldPublishThroughTheDirectPublisher() {
        assertThat(ReflectionTestUtils.getField(this.forwarder, "events"))
                .as("the forwarder's events skip the context's multicaster")
                .isSameAs(this.routingEvents);
        assertThat(this.publishers.getIfAvailable())
                .as("every other injection point still gets the context")
                .isNotInstanceOf(RoutingEventPublisher.class);
    }

    @Test
    void hotPathMessagesShouldReachTheEventStreamAndTheRoutingMeters() throws Exception {
        try (EventStream.Subscription subscription = this.events.subscribe(null)) {
            Answer answer = send(ROUTE, FAST, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}");
            assertThat(answer.status()).isEqualTo(200);

            MeshEventView event = subscription.next(Duration.ofSeconds(5));
            while (event != null && !event.type().startsWith("message.")) {
                event = subscription.next(Duration.ofSeconds(5));
            }
            assertThat(event).isNotNull();
            assertThat(event.type()).isEqualTo(MeshEventTypes.MESSAGE_ROUTED);
            assertThat(event.nodeName()).isEqualTo("alpha");
        }
        String metrics = metrics();
        assertThat(count(metrics, "mesh_route_requests_total{", "outcome=\"ok\""))
                .isPositive();
        assertThat(count(metrics, "mesh_forward_duration_seconds_count{", "node=\"alpha\"", "outcome=\"ok\""))
                .isPositive();
    }

    private String metrics() throws Exception {
        return this.http
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
                                .build(),
                        BodyHandlers.ofString())
                .body();
    }

    /** The value of the one {@code http_server_requests_seconds_count} (or named) line holding every part; 0 if none. */
    private static double count(String metrics, String... parts) {
        String prefix = parts[0].endsWith("{") ? parts[0] : "http_server_requests_seconds_count{";
        List<String> lines = metrics.lines()
                .filter((line) -> line.startsWith(prefix))
                .filter((line) -> Stream.of(parts).allMatch((part) -> part.endsWith("{") || line.contains(part)))
                .toList();
        assertThat(lines).as("at most one series matches %s", List.of(parts)).hasSizeLessThanOrEqualTo(1);
        return lines.isEmpty()
                ? 0
                : Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
    }

    @Test
    void requestsWithoutTheOperatorTokenShouldBeLeftToTheSecurityChain() throws Exception {
        Answer missing = send(ROUTE, FAST, null, "{\"content\":\"ping\"}");
        Answer wrong = send(ROUTE, FAST, "cmo_not-the-token", "{\"content\":\"ping\"}");
        Answer join = send(ROUTE, FAST, ApiFixtures.JOIN_TOKEN, "{\"content\":\"ping\"}");

        assertProblem(missing.status(), missing.headers().get("content-type"), missing.body(), 401, "unauthorized");
        assertProblem(wrong.status(), wrong.headers().get("content-type"), wrong.body(), 401, "unauthorized");
        assertProblem(join.status(), join.headers().get("content-type"), join.body(), 403, "forbidden");
        assertThat(missing.headers()).containsKey("www-authenticate");
        assertThat(controllerCalls()).isZero();
        assertThat(this.messageLog.recent(1000)).isEmpty();
    }

    @Test
    void otherMediaTypesAndPathsShouldTakeTheGeneralPath() throws Exception {
        Answer text = send(ROUTE, "text/plain", ApiFixtures.OPERATOR_TOKEN, "ping");
        Answer nested = send(ROUTE + "/alpha/extra", FAST, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}");
        Answer encoded = send(ROUTE + "/al%70ha", FAST, ApiFixtures.OPERATOR_TOKEN, "{\"content\":\"ping\"}");

        assertProblem(text.status(), text.headers().get("content-type"), text.body(), 415, "unsupported-media-type");
        assertThat(nested.status()).isEqualTo(404);
        assertThat(encoded.status()).as(encoded.body()).isEqualTo(200);
        assertThat(controllerCalls())
                .as("only the encoded name reached the controller")
                .isOne();
    }

    @Test
    void whatTheFirewallRefusesShouldStillBeRefused() throws Exception {
        String body = "{\"content\":\"ping\"}";

        // a raw socket, because HTTP clients normalize a path of dots away before sending it
        assertThat(rawStatusLine(ROUTE + "/.", "Bearer " + ApiFixtures.OPERATOR_TOKEN, body))
                .contains(" 400 ");
        assertThat(rawStatusLine(ROUTE, "Bearer " + ApiFixtures.OPERATOR_TOKEN + "\u0001", body))
                .contains(" 400 ");
        assertThat(controllerCalls()).isZero();
        assertThat(this.messageLog.recent(1000)).isEmpty();
    }

    /** Sends one request exactly as written and returns the status line of the answer. */
    private String rawStatusLine(String path, String authorization, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            socket.setSoTimeout(10_000);
            String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            return String.valueOf(reader.readLine());
        }
    }

    private static BodyPublisher chunked(byte[] body) {
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private int controllerCalls() {
        return mockingDetails(this.controller).getInvocations().size();
    }

    private Answer send(String path, String contentType, @Nullable String token, String body) throws Exception {
        return send(path, contentType, token, BodyPublishers.ofString(body, StandardCharsets.US_ASCII));
    }

    private Answer send(String path, String contentType, @Nullable String token, BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .header("Content-Type", contentType)
                .POST(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = this.http.send(request.build(), BodyHandlers.ofString());
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((header, values) -> {
            if (!IGNORED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                headers.put(header.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        String normalized = response.body()
                .replaceAll("msg-[0-9a-f-]+", "msg-*")
                .replaceAll("\"(node_id|message_id)\":\"[^\"]*\"", "\"$1\":\"*\"");
        return new Answer(response.statusCode(), headers, normalized);
    }

    /** What a client sees of one answer, with the per-message ids masked. */
    record Answer(int status, Map<String, String> headers, String body) {}
}
