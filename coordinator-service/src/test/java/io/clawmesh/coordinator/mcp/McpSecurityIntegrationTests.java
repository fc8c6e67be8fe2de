package io.clawmesh.coordinator.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Who may call {@code /mcp} and what bad requests get: no token, a wrong one, a join or node token are refused by the
 * API security chain before the MCP server sees the request; a foreign {@code Origin} is refused; an oversize body is
 * 413; malformed JSON-RPC and unknown sessions get the transport's errors, never a 500.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + McpTestSupport.OPERATOR,
            "mesh.security.join-token=" + McpTestSupport.JOIN,
            "mesh.security.allow-private=true",
            "mesh.security.max-body-size=64KB",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.mcp.allowed-origins=https://chat.example.com,http://localhost:*"
        })
@DirtiesContext
class McpSecurityIntegrationTests {

    private static final String INITIALIZE = """
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
             "capabilities": {}, "clientInfo": {"name": "attack-test", "version": "1"}}}""";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void initializeWithTheOperatorTokenShouldOpenASession() {
        HttpResponse<String> response = post(INITIALIZE, headers("Bearer " + McpTestSupport.OPERATOR));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"").contains("claw-mesh");
    }

    @Test
    void withoutATokenShouldAnswer401WithAProblem() {
        Map<String, String> headers = headers(null);

        assertProblem(post(INITIALIZE, headers), 401, "unauthorized");
        assertProblem(McpTestSupport.send(this.port, "GET", "/mcp", null, headers), 401, "unauthorized");
        assertProblem(McpTestSupport.send(this.port, "DELETE", "/mcp", null, headers), 401, "unauthorized");
    }

    @Test
    void withAWrongTokenOrAMalformedHeaderShouldAnswer401() {
        assertProblem(post(INITIALIZE, headers("Bearer not-the-token")), 401, "unauthorized");
        assertProblem(post(INITIALIZE, headers("Basic " + McpTestSupport.OPERATOR)), 401, "unauthorized");
    }

    @Test
    void withAJoinOrNodeTokenShouldAnswer403() {
        String nodeToken = McpTestSupport.register(this.port, "some-node", "127.0.0.1:9", List.of());

        assertProblem(post(INITIALIZE, headers("Bearer " + McpTestSupport.JOIN)), 403, "forbidden");
        assertProblem(post(INITIALIZE, headers("Bearer " + nodeToken)), 403, "forbidden");
    }

    @Test
    void fromAForeignOriginShouldAnswer403EvenWithTheToken() {
        Map<String, String> headers = headers("Bearer " + McpTestSupport.OPERATOR);
        headers.put("Origin", "http://evil.example");

        assertProblem(post(INITIALIZE, headers), 403, "forbidden");
        headers.put("Origin", "http://localhost.evil.example:80");
        assertProblem(post(INITIALIZE, headers), 403, "forbidden");
    }

    @Test
    void fromAnAllowedOriginShouldBeServed() {
        Map<String, String> headers = headers("Bearer " + McpTestSupport.OPERATOR);
        headers.put("Origin", "https://chat.example.com");
        assertThat(post(INITIALIZE, headers).statusCode()).isEqualTo(200);
        headers.put("Origin", "http://localhost:5173");
        assertThat(post(INITIALIZE, headers).statusCode()).isEqualTo(200);
    }

    @Test
    void aForeignOriginWithoutATokenShouldStillBe401() {
        Map<String, String> headers = headers(null);
        headers.put("Origin", "http://evil.example");

        assertProblem(post(INITIALIZE, headers), 401, "unauthorized");
    }

    @Test
    void anOversizeBodyShouldAnswer413() {
        String big = INITIALIZE.replace("attack-test", "x".repeat(100 * 1024));

        assertProblem(post(big, headers("Bearer " + McpTestSupport.OPERATOR)), 413, "payload-too-large");
    }

    @Test
    void malformedJsonShouldAnswer400NotA500() {
        HttpResponse<String> response = post("{not json", headers("Bearer " + McpTestSupport.OPERATOR));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("Invalid message format");
    }

    @Test
    void aRequestOnAnUnknownSessionShouldAnswer404() {
        Map<String, String> headers = headers("Bearer " + McpTestSupport.OPERATOR);
        headers.put("Mcp-Session-Id", "no-such-session");

        HttpResponse<String> response = post("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}", headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) {
        return McpTestSupport.send(this.port, "POST", "/mcp", body, headers);
    }

    private static Map<String, String> headers(String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json, text/event-stream");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return headers;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = McpTestSupport.JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).endsWith(slug);
    }
}
