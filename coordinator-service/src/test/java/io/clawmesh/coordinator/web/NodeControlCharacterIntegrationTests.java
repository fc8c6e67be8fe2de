package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 12 item 6 over real HTTP: control characters in any text a node supplies at registration or heartbeat (a
 * newline forged a log line, an escape sequence drove the operator's terminal) get 400 naming the field, the answer
 * does not echo them, and nothing changes.
 */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class NodeControlCharacterIntegrationTests extends ApiIntegrationTestSupport {

    private RegisteredNode node;

    @BeforeEach
    void oneNode() {
        this.node = register("alpha", "127.0.0.1:19121");
    }

    static Stream<Arguments> registrations() {
        return Stream.of(
                Arguments.of(
                        "os with a newline", capabilities("\"os\":\"linux\\nINFO forged line\""), "capabilities.os"),
                Arguments.of("os with CR", capabilities("\"os\":\"linux\\r\""), "capabilities.os"),
                Arguments.of("arch with ESC", capabilities("\"arch\":\"\\u001b[2J\""), "capabilities.arch"),
                Arguments.of("arch with DEL", capabilities("\"arch\":\"amd\\u007f64\""), "capabilities.arch"),
                Arguments.of("os with C1 CSI", capabilities("\"os\":\"\\u009b31m\""), "capabilities.os"),
                Arguments.of("os with a bidi override", capabilities("\"os\":\"\\u202exunil\""), "capabilities.os"),
                Arguments.of(
                        "runtime version with a tab",
                        runtime("\"kind\":\"echo\",\"version\":\"1\\t2\""),
                        "runtime.version"),
                Arguments.of("runtime kind with a newline", runtime("\"kind\":\"echo\\n\""), "runtime.kind"),
                Arguments.of(
                        "endpoint with a newline",
                        "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\\nforged\"}",
                        "endpoint"),
                Arguments.of("name with a newline", "{\"name\":\"be\\nta\",\"endpoint\":\"127.0.0.1:19122\"}", "name"),
                Arguments.of(
                        "tag with ESC",
                        capabilities("\"tags\":[\"gpu\",\"\\u001b]0;pwned\\u0007\"]"),
                        "capabilities.tags"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registrations")
    void registerWithControlCharacterShouldAnswer400NamingTheFieldAndChangeNothing(
            String description, String body, String field) {
        MeshState before = state();

        HttpResponse<String> response = http("POST", ApiFixtures.JOIN_TOKEN, REGISTER, body);

        assertRefused(response, field);
        assertThat(state()).isEqualTo(before);
    }

    static Stream<Arguments> heartbeats() {
        return Stream.of(
                Arguments.of(
                        "os with a newline",
                        "{\"status\":\"online\",\"capabilities\":{\"os\":\"linux\\nWARN forged\"}}",
                        "capabilities.os"),
                Arguments.of(
                        "runtime version with ESC",
                        "{\"status\":\"online\",\"runtime\":{\"kind\":\"echo\",\"version\":\"\\u001b[31m1\",\"connected\":true}}",
                        "runtime.version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heartbeats")
    void heartbeatWithControlCharacterShouldAnswer400NamingTheFieldAndChangeNothing(
            String description, String body, String field) {
        MeshState before = state();

        HttpResponse<String> response =
                http("POST", this.node.token(), NODES + "/" + this.node.id() + "/heartbeat", body);

        assertRefused(response, field);
        assertThat(state()).isEqualTo(before);
    }

    private static void assertRefused(HttpResponse<String> response, String field) {
        String detail = assertProblem(response, 400, "invalid-input");
        assertThat(detail).contains(field);
        assertThat(detail)
                .as("the detail echoes no control character")
                .doesNotContainPattern("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");
    }

    private static String capabilities(String fields) {
        return "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\",\"capabilities\":{" + fields + "}}";
    }

    private static String runtime(String fields) {
        return "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:19122\",\"runtime\":{\"connected\":true," + fields + "}}";
    }
}
