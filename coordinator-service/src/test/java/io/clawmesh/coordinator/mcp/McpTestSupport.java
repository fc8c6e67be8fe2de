package io.clawmesh.coordinator.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tokens and plain HTTP for the MCP tests: register a node, post to {@code /mcp} as a test scripts it. */
final class McpTestSupport {

    static final String OPERATOR = "cmo_test-operator-token-for-mcp-tests";

    static final String JOIN = "cmj_test-join-token-for-mcp-tests";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private McpTestSupport() {}

    /** Registers a node with 4 slots and answers its node token. */
    static String register(int port, String name, String endpoint, List<String> skills) {
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("name", name);
        registration.put("endpoint", endpoint);
        registration.put(
                "capabilities", Map.of("os", "linux", "arch", "amd64", "gpu", true, "memory_gb", 32, "skills", skills));
        registration.put("capacity", 4);
        HttpResponse<String> response = send(
                port,
                "POST",
                "/api/v1/nodes/register",
                JSON.writeValueAsString(registration),
                Map.of("Authorization", "Bearer " + JOIN, "Content-Type", "application/json"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        return body.path("token").asString();
    }

    static HttpResponse<String> send(int port, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
