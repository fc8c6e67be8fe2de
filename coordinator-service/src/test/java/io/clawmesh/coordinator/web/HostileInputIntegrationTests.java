package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.JOIN_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.UNKNOWN_NODE_ID;
import static io.clawmesh.coordinator.web.ApiFixtures.UNKNOWN_RULE_ID;
import static io.clawmesh.coordinator.web.ApiFixtures.gpuRule;
import static io.clawmesh.coordinator.web.ApiFixtures.heartbeat;
import static io.clawmesh.coordinator.web.ApiFixtures.json;
import static io.clawmesh.coordinator.web.ApiFixtures.registration;
import static io.clawmesh.coordinator.web.ApiFixtures.route;
import static io.clawmesh.coordinator.web.ApiFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Malformed and hostile requests (SPEC §3, §5): each gets a clear problem and changes nothing. Every row runs against
 * a mesh of two nodes and one rule, then checks the whole state is as before and both node tokens still work.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class HostileInputIntegrationTests extends ApiIntegrationTestSupport {

    private static final int ONE_MIB = 1024 * 1024;

    private static final MediaType JSON = MediaType.APPLICATION_JSON;

    private Mesh mesh;

    @BeforeEach
    void twoNodesAndARule() {
        RegisteredNode alpha = register("alpha", "127.0.0.1:19121");
        RegisteredNode beta = register(ApiFixtures.registrationWithCapability("beta", "127.0.0.1:19122", "gpu", false));
        this.mesh = new Mesh(alpha, beta, addRule(gpuRule()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileRequests")
    void hostileRequestShouldAnswerAProblemAndChangeNothing(Hostile hostile) {
        MeshState before = state();

        Reply reply = hostile.send().apply(this.mesh);

        String detail =
                assertProblem(reply.status(), reply.contentType(), reply.body(), hostile.status(), hostile.type());
        if (hostile.detail() != null) {
            assertThat(detail).containsIgnoringCase(hostile.detail());
        }
        if (hostile.status() == 401) {
            assertThat(reply.wwwAuthenticate()).as("WWW-Authenticate").startsWith("Bearer");
        }
        assertThat(state()).as("mesh state after the request").isEqualTo(before);
        assertThat(post(this.mesh.alpha().token(), heartbeatPath(this.mesh.alpha()), ApiFixtures.heartbeat("online")))
                .hasStatus(204);
        assertThat(post(this.mesh.beta().token(), heartbeatPath(this.mesh.beta()), ApiFixtures.heartbeat("online")))
                .hasStatus(204);
    }

    static Stream<Hostile> hostileRequests() {
        return Stream.of(
                // Broken bodies
                given("broken JSON", (m) -> m.raw(REGISTER, JOIN_TOKEN, JSON, "{\"name\": \"gamma\", "))
                        .expect(400, "malformed-json", "not valid JSON"),
                given("JSON array instead of an object", (m) -> m.register(List.of(gamma())))
                        .expect(400, "invalid-field-type", "must be a JSON object"),
                given("JSON null", (m) -> m.raw(RULES, OPERATOR_TOKEN, JSON, "null"))
                        .expect(400, "unreadable-body", "JSON body"),
                given("empty body", (m) -> m.raw(REGISTER, JOIN_TOKEN, JSON, ""))
                        .expect(400, "unreadable-body", "JSON body"),
                given(
                                "empty heartbeat body",
                                (m) -> m.raw(heartbeatPath(m.alpha()), m.alpha().token(), JSON, ""))
                        .expect(400, "unreadable-body", "JSON body"),
                given("no Content-Type", (m) -> m.raw(REGISTER, JOIN_TOKEN, null, json(gamma())))
                        .expect(415, "unsupported-media-type", "this request had no Content-Type"),
                given("text/plain body", (m) -> m.raw(RULES, OPERATOR_TOKEN, MediaType.TEXT_PLAIN, json(gpuRule())))
                        .expect(
                                415,
                                "unsupported-media-type",
                                "'Content-Type: application/json'; this request had 'text/plain"),
                // Wrong types and unknown fields
                given("capacity as a word", (m) -> m.register(with(gamma(), "capacity", "four")))
                        .expect(400, "invalid-field-type", "field 'capacity'"),
                given("gpu as 'yes'", (m) -> m.register(gammaWithCapability("gpu", "yes")))
                        .expect(400, "invalid-field-type", "field 'capabilities.gpu'"),
                given("memory_gb as a fraction", (m) -> m.register(gammaWithCapability("memory_gb", 1.5)))
                        .expect(400, "invalid-field-type", "field 'capabilities.memory_gb'"),
                given("tags as a string", (m) -> m.register(gammaWithCapability("tags", "gpu")))
                        .expect(400, "invalid-field-type", "field 'capabilities.tags'"),
                given("unknown top-level field", (m) -> m.register(with(gamma(), "admin", true)))
                        .expect(400, "unknown-field", "unknown field 'admin'"),
                given("unknown nested field", (m) -> m.register(gammaWithCapability("colour", "red")))
                        .expect(400, "unknown-field", "unknown field 'capabilities.colour'"),
                given("unknown field in a rule match", (m) -> m.addRule(Map.of("match", Map.of("requires_x", "y"))))
                        .expect(400, "unknown-field", "unknown field 'match.requires_x'"),
                // Invalid values
                given("endpoint as a URL", (m) -> m.register(with(gamma(), "endpoint", "http://127.0.0.1:19123/")))
                        .expect(400, "invalid-input", "not a URL"),
                given("endpoint without a port", (m) -> m.register(with(gamma(), "endpoint", "127.0.0.1")))
                        .expect(400, "invalid-input", "host:port"),
                given("endpoint port 70000", (m) -> m.register(with(gamma(), "endpoint", "127.0.0.1:70000")))
                        .expect(400, "invalid-input", "outside 1-65535"),
                given("endpoint on cloud metadata", (m) -> m.register(with(gamma(), "endpoint", "169.254.169.254:80")))
                        .expect(400, "invalid-input", "cloud metadata"),
                given("name of 64 characters", (m) -> m.register(with(gamma(), "name", "n".repeat(64))))
                        .expect(400, "invalid-input", "1-63 characters"),
                given("name with bad characters", (m) -> m.register(with(gamma(), "name", "gamma<script>")))
                        .expect(400, "invalid-input", "1-63 characters"),
                given("missing name", (m) -> m.register(Map.of("endpoint", "127.0.0.1:19123")))
                        .expect(400, "invalid-input", "name is required"),
                given("65 tags", (m) -> m.register(gammaWithCapability("tags", ApiFixtures.labels(65))))
                        .expect(400, "invalid-input", "at most 64"),
                given("negative capacity", (m) -> m.register(with(gamma(), "capacity", -1)))
                        .expect(400, "invalid-input", "capacity must be between 1 and"),
                given("negative memory", (m) -> m.register(gammaWithCapability("memory_gb", -8)))
                        .expect(400, "invalid-input", "memory_gb must be between"),
                given("taking over a live node's name", (m) -> m.register(with(gamma(), "name", "alpha")))
                        .expect(409, "node-name-conflict", "alpha"),
                given("heartbeat with an unknown status", (m) -> m.heartbeat(heartbeat("sleepy")))
                        .expect(400, "invalid-field-type", "unknown status 'sleepy'"),
                given("heartbeat with capacity 0", (m) -> m.heartbeat(with(heartbeat("online"), "capacity", 0)))
                        .expect(400, "invalid-input", "capacity must be between 1 and"),
                given("heartbeat with negative inflight", (m) -> m.heartbeat(with(heartbeat("online"), "inflight", -1)))
                        .expect(400, "invalid-input", "inflight must be between 0 and 1000000"),
                given(
                                "wildcard plus requires_gpu",
                                (m) -> m.addRule(match(Map.of("wildcard", true, "requires_gpu", true))))
                        .expect(400, "invalid-input", "cannot be combined"),
                given("wildcard with a target", (m) -> m.addRule(with(ApiFixtures.wildcardRule(), "target", "alpha")))
                        .expect(400, "invalid-input", "no target"),
                given("empty rule", (m) -> m.addRule(Map.of())).expect(400, "invalid-input", "rule needs a match"),
                given("rule with an empty match", (m) -> m.addRule(match(Map.of())))
                        .expect(400, "invalid-input", "rule needs a match"),
                given("rule with an unknown strategy", (m) -> m.addRule(with(gpuRule(), "strategy", "fastest")))
                        .expect(400, "invalid-input", "unknown strategy 'fastest'"),
                given("rule for an unknown os", (m) -> m.addRule(ApiFixtures.osRule("plan9")))
                        .expect(400, "invalid-input", "requires_os 'plan9'"),
                given("move a rule to position -1", (m) -> m.moveRule(m.ruleId(), -1))
                        .expect(400, "invalid-input", "position"),
                given("move a rule to position 'first'", (m) -> m.moveRule(m.ruleId(), "first"))
                        .expect(400, "invalid-field-type", "field 'position'"),
                given("move an unknown rule", (m) -> m.moveRule(UNKNOWN_RULE_ID, 0))
                        .expect(404, "rule-not-found", UNKNOWN_RULE_ID),
                given(
                                "delete an unknown rule",
                                (m) -> m.as(OPERATOR_TOKEN, HttpMethod.DELETE, RULES + "/" + UNKNOWN_RULE_ID))
                        .expect(404, "rule-not-found", UNKNOWN_RULE_ID),
                given("route with blank content", (m) -> m.post(OPERATOR_TOKEN, ROUTE, route("   ")))
                        .expect(400, "invalid-input", "content is required"),
                given("route with a long session_key", (m) -> m.post(OPERATOR_TOKEN, ROUTE, longSessionKey()))
                        .expect(400, "invalid-input", "session_key must be 1-256 characters"),
                given(
                                "route to an unknown node",
                                (m) -> m.post(OPERATOR_TOKEN, ROUTE + "/" + UNKNOWN_NODE_ID, route("hi")))
                        .expect(404, "node-not-found", UNKNOWN_NODE_ID),
                given("get an unknown node", (m) -> m.as(OPERATOR_TOKEN, HttpMethod.GET, NODES + "/" + UNKNOWN_NODE_ID))
                        .expect(404, "node-not-found", UNKNOWN_NODE_ID),
                given(
                                "delete an unknown node",
                                (m) -> m.as(OPERATOR_TOKEN, HttpMethod.DELETE, NODES + "/" + UNKNOWN_NODE_ID))
                        .expect(404, "node-not-found", UNKNOWN_NODE_ID),
                // Oversize bodies
                given("over 1 MiB with Content-Length", (m) -> m.raw(RULES, OPERATOR_TOKEN, JSON, oversize()))
                        .expect(413, "payload-too-large", "the limit is 1048576 bytes"),
                given(
                                "over 1 MiB with Content-Length, real HTTP",
                                (m) -> m.http(BodyPublishers.ofByteArray(oversize())))
                        .expect(413, "payload-too-large", "limit"),
                given(
                                "over 1 MiB chunked, real HTTP",
                                (m) -> m.http(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversize()))))
                        .expect(413, "payload-too-large", "larger than the limit of 1048576 bytes"),
                // Tokens used beyond their scope
                given("node token listing nodes", (m) -> m.as(m.alpha().token(), HttpMethod.GET, NODES))
                        .expect(403, "forbidden", "node tokens may only"),
                given("node token routing", (m) -> m.post(m.alpha().token(), ROUTE, route("hi")))
                        .expect(403, "forbidden", "node tokens may only"),
                given("node token adding a rule", (m) -> m.post(m.alpha().token(), RULES, gpuRule()))
                        .expect(403, "forbidden", "node tokens may only"),
                given("node token registering a node", (m) -> m.post(m.alpha().token(), REGISTER, gamma()))
                        .expect(403, "forbidden", "node tokens may only"),
                given(
                                "node token heartbeating another node",
                                (m) -> m.post(m.beta().token(), heartbeatPath(m.alpha()), heartbeat("offline")))
                        .expect(403, "forbidden", "only its own node"),
                given(
                                "node token heartbeating an unknown node",
                                (m) -> m.post(
                                        m.alpha().token(),
                                        NODES + "/" + UNKNOWN_NODE_ID + "/heartbeat",
                                        heartbeat("online")))
                        .expect(403, "forbidden", "only its own node"),
                given(
                                "node token deleting another node",
                                (m) -> m.as(
                                        m.beta().token(),
                                        HttpMethod.DELETE,
                                        NODES + "/" + m.alpha().id()))
                        .expect(403, "forbidden", "only its own node"),
                given("join token listing nodes", (m) -> m.as(JOIN_TOKEN, HttpMethod.GET, NODES))
                        .expect(403, "forbidden", "a join token may only register nodes"),
                given("join token adding a rule", (m) -> m.post(JOIN_TOKEN, RULES, gpuRule()))
                        .expect(403, "forbidden", "a join token may only register nodes"),
                given(
                                "join token deleting a node",
                                (m) -> m.as(
                                        JOIN_TOKEN,
                                        HttpMethod.DELETE,
                                        NODES + "/" + m.alpha().id()))
                        .expect(403, "forbidden", "a join token may only register nodes"),
                // Missing or bad credentials
                given("no token on a read", (m) -> m.as(null, HttpMethod.GET, NODES))
                        .expect(401, "unauthorized", "'Authorization: Bearer <token>'"),
                given("no token on register", (m) -> m.post(null, REGISTER, gamma()))
                        .expect(401, "unauthorized", "'Authorization: Bearer <token>'"),
                given("invalid token", (m) -> m.as("cmo_not-the-operator-token", HttpMethod.GET, NODES))
                        .expect(401, "unauthorized", "not valid for this coordinator"),
                given("token of 4000 characters", (m) -> m.as("x".repeat(4000), HttpMethod.GET, NODES))
                        .expect(401, "unauthorized", "not valid for this coordinator"),
                given("Basic credentials", (m) -> m.authorization("Basic b3BlcmF0b3I6c2VjcmV0"))
                        .expect(401, "unauthorized", "must be 'Bearer <token>'"),
                given("Bearer without a token", (m) -> m.authorization("Bearer "))
                        .expect(401, "unauthorized", "must be 'Bearer <token>'"),
                // Wrong method and path
                given("PUT on the node list", (m) -> m.as(OPERATOR_TOKEN, HttpMethod.PUT, NODES))
                        .expect(405, "method-not-allowed", "PUT"),
                given("DELETE on the rule list", (m) -> m.as(OPERATOR_TOKEN, HttpMethod.DELETE, RULES))
                        .expect(405, "method-not-allowed", "DELETE"),
                given("unknown path under /api/v1", (m) -> m.as(OPERATOR_TOKEN, HttpMethod.GET, "/api/v1/nothing"))
                        .expect(404, "not-found", null));
    }

    private static Map<String, Object> gamma() {
        return registration("gamma", "127.0.0.1:19123");
    }

    private static Map<String, Object> gammaWithCapability(String key, Object value) {
        return ApiFixtures.registrationWithCapability("gamma", "127.0.0.1:19123", key, value);
    }

    private static Map<String, Object> match(Map<String, Object> match) {
        return Map.of("match", match);
    }

    private static Map<String, Object> longSessionKey() {
        return with(route("hello"), "session_key", "k".repeat(257));
    }

    private static byte[] oversize() {
        return ApiFixtures.oversizeBody(ONE_MIB + 16);
    }

    private static String heartbeatPath(RegisteredNode node) {
        return NODES + "/" + node.id() + "/heartbeat";
    }

    private static Given given(String name, Function<Mesh, Reply> send) {
        return new Given(name, send);
    }

    /** The first half of a table row: what to send. */
    record Given(String name, Function<Mesh, Reply> send) {

        Hostile expect(int status, String type, @Nullable String detail) {
            return new Hostile(this.name, status, type, detail, this.send);
        }
    }

    /** One table row: what to send, and the problem it must get. */
    record Hostile(
            String name, int status, String type, @Nullable String detail, Function<Mesh, Reply> send) {

        @Override
        public String toString() {
            return this.name + " -> " + this.status + " " + this.type;
        }
    }

    /** What came back, from MockMvc or from the real server. */
    record Reply(
            int status,
            @Nullable String contentType,
            @Nullable String wwwAuthenticate,
            String body) {

        static Reply of(MvcTestResult result) {
            return new Reply(
                    result.getResponse().getStatus(),
                    result.getResponse().getContentType(),
                    result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE),
                    ApiIntegrationTestSupport.body(result));
        }
    }

    /** The mesh a row runs against, and the ways to send it a request. */
    final class Mesh {

        private final RegisteredNode alpha;

        private final RegisteredNode beta;

        private final String ruleId;

        Mesh(RegisteredNode alpha, RegisteredNode beta, String ruleId) {
            this.alpha = alpha;
            this.beta = beta;
            this.ruleId = ruleId;
        }

        RegisteredNode alpha() {
            return this.alpha;
        }

        RegisteredNode beta() {
            return this.beta;
        }

        String ruleId() {
            return this.ruleId;
        }

        Reply post(@Nullable String token, String path, Object body) {
            return Reply.of(HostileInputIntegrationTests.this.post(token, path, body));
        }

        Reply register(Object body) {
            return post(JOIN_TOKEN, REGISTER, body);
        }

        Reply addRule(Object body) {
            return post(OPERATOR_TOKEN, RULES, body);
        }

        Reply moveRule(String id, Object position) {
            return Reply.of(HostileInputIntegrationTests.this.put(
                    OPERATOR_TOKEN, RULES + "/" + id + "/position", ApiFixtures.position(position)));
        }

        /** A heartbeat from alpha's agent for alpha. */
        Reply heartbeat(Object body) {
            return post(this.alpha.token(), heartbeatPath(this.alpha), body);
        }

        /** A request without a body. */
        Reply as(@Nullable String token, HttpMethod method, String path) {
            return Reply.of(authorized(mvc.method(method).uri(path), token).exchange());
        }

        /** A POST of raw bytes, so broken bodies and headers can be sent as they are. */
        Reply raw(String path, String token, @Nullable MediaType type, Object body) {
            MockMvcRequestBuilder request = authorized(mvc.post().uri(path), token);
            if (type != null) {
                request.contentType(type);
            }
            request.content((body instanceof byte[] bytes) ? bytes : ((String) body).getBytes(StandardCharsets.UTF_8));
            return Reply.of(request.exchange());
        }

        Reply authorization(String authorization) {
            return Reply.of(mvc.get()
                    .uri(NODES)
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .exchange());
        }

        /** A JSON POST through the real server, for what MockMvc cannot send: chunked bodies, real Content-Length. */
        Reply http(BodyPublisher body) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + RULES))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + OPERATOR_TOKEN)
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                    .POST(body)
                    .build();
            try (HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
                return new Reply(
                        response.statusCode(),
                        response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse(null),
                        response.headers()
                                .firstValue(HttpHeaders.WWW_AUTHENTICATE)
                                .orElse(null),
                        response.body());
            } catch (IOException ex) {
                throw new IllegalStateException("request to the test server failed", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
