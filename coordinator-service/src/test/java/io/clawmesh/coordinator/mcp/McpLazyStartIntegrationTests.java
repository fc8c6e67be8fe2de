package io.clawmesh.coordinator.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The MCP server is built on the first authenticated MCP request, not at start: a coordinator that nobody reaches over
 * MCP does not carry the SDK's server, and a caller without a token cannot make it build one.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + McpTestSupport.OPERATOR,
            "mesh.security.join-token=" + McpTestSupport.JOIN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class McpLazyStartIntegrationTests {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"lazy-test","version":"1"}}}""";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableListableBeanFactory beans;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void theServerShouldBeBuiltByTheFirstAuthenticatedRequestOnly() {
        assertThat(built()).as("built at start").isFalse();

        HttpResponse<String> anonymous = McpTestSupport.send(
                this.port,
                "POST",
                "/mcp",
                INITIALIZE,
                Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
        HttpResponse<String> wrongToken = McpTestSupport.send(
                this.port,
                "POST",
                "/mcp",
                INITIALIZE,
                Map.of(
                        "Content-Type", "application/json",
                        "Accept", "application/json, text/event-stream",
                        "Authorization", "Bearer cmo_not-the-operator-token"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(built()).as("built by a refused request").isFalse();

        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + this.port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + McpTestSupport.OPERATOR))
                .build();
        try (McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
            McpSchema.InitializeResult initialized = client.initialize();

            assertThat(initialized.serverInfo().name()).isEqualTo("claw-mesh");
            assertThat(client.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("send_message");
        }
        assertThat(built()).as("built by the first request").isTrue();
    }

    private boolean built() {
        return this.beans.containsSingleton("mcpEndpoint");
    }
}
