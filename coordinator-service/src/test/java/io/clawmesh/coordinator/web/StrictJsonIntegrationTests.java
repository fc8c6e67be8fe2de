package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 12 item 9 over real HTTP: a number or boolean where text belongs and text where a number belongs are wrong
 * types (400 naming the field) on every JSON the coordinator reads, the routing hot path included, and change nothing.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class StrictJsonIntegrationTests extends ApiIntegrationTestSupport {

    /** Taken by the routing hot path. */
    private static final String FAST = "application/json";

    /** Left to the security chain and Spring MVC by the hot path (plain ASCII bodies, so the bytes are the same). */
    private static final String GENERAL = "application/json;charset=ISO-8859-1";

    private final HttpClient http = HttpClient.newHttpClient();

    private RegisteredNode node;

    @BeforeEach
    void oneNode() {
        this.node = register("alpha", "127.0.0.1:19121");
    }

    static Stream<Arguments> coercions() {
        return Stream.of(
                Arguments.of("route, hot path, content 42", "operator", ROUTE, FAST, "{\"content\":42}", "content"),
                Arguments.of("route, hot path, content true", "operator", ROUTE, FAST, "{\"content\":true}", "content"),
                Arguments.of("route, hot path, content 4.2", "operator", ROUTE, FAST, "{\"content\":4.2}", "content"),
                Arguments.of(
                        "route to a node, hot path, source 7",
                        "operator",
                        ROUTE + "/alpha",
                        FAST,
                        "{\"content\":\"hi\",\"source\":7}",
                        "source"),
                Arguments.of("route, MVC, content 42", "operator", ROUTE, GENERAL, "{\"content\":42}", "content"),
                Arguments.of("route, MVC, content true", "operator", ROUTE, GENERAL, "{\"content\":true}", "content"),
                Arguments.of(
                        "register, capacity \"7\"",
                        "join",
                        REGISTER,
                        FAST,
                        "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\",\"capacity\":\"7\"}",
                        "capacity"),
                Arguments.of(
                        "register, name 42",
                        "join",
                        REGISTER,
                        FAST,
                        "{\"name\":42,\"endpoint\":\"127.0.0.1:19122\"}",
                        "name"),
                Arguments.of(
                        "register, gpu \"true\"",
                        "join",
                        REGISTER,
                        FAST,
                        "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\",\"capabilities\":{\"gpu\":\"true\"}}",
                        "capabilities.gpu"),
                Arguments.of(
                        "register, os true",
                        "join",
                        REGISTER,
                        FAST,
                        "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\",\"capabilities\":{\"os\":true}}",
                        "capabilities.os"),
                Arguments.of(
                        "heartbeat, capacity \"7\"",
                        "node",
                        "heartbeat",
                        FAST,
                        "{\"status\":\"online\",\"capacity\":\"7\"}",
                        "capacity"),
                Arguments.of(
                        "heartbeat, inflight \"1\"",
                        "node",
                        "heartbeat",
                        FAST,
                        "{\"status\":\"online\",\"inflight\":\"1\"}",
                        "inflight"),
                Arguments.of(
                        "heartbeat, runtime version 2",
                        "node",
                        "heartbeat",
                        FAST,
                        "{\"status\":\"online\",\"runtime\":{\"kind\":\"echo\",\"version\":2,\"connected\":true}}",
                        "runtime.version"),
                Arguments.of(
                        "rule, requires_os 1",
                        "operator",
                        RULES,
                        FAST,
                        "{\"match\":{\"requires_os\":1}}",
                        "match.requires_os"),
                Arguments.of(
                        "rule, requires_gpu \"true\"",
                        "operator",
                        RULES,
                        FAST,
                        "{\"match\":{\"requires_gpu\":\"true\"}}",
                        "match.requires_gpu"),
                Arguments.of(
                        "rule, min_memory_gb \"8\"",
                        "operator",
                        RULES,
                        FAST,
                        "{\"match\":{\"min_memory_gb\":\"8\"}}",
                        "match.min_memory_gb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coercions")
    void coercibleScalarShouldAnswer400NamingTheFieldAndChangeNothing(
            String description, String caller, String path, String contentType, String body, String field)
            throws IOException, InterruptedException {
        MeshState before = state();
        String token = switch (caller) {
            case "operator" -> ApiFixtures.OPERATOR_TOKEN;
            case "join" -> ApiFixtures.JOIN_TOKEN;
            default -> this.node.token();
        };
        String target = path.equals("heartbeat") ? NODES + "/" + this.node.id() + "/heartbeat" : path;

        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + target))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", contentType)
                        .POST(BodyPublishers.ofString(body))
                        .build(),
                BodyHandlers.ofString());

        String detail = assertProblem(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body(),
                400,
                "invalid-field-type");
        assertThat(detail).contains("'" + field + "'", "wrong type");
        assertThat(state()).isEqualTo(before);
    }
}
