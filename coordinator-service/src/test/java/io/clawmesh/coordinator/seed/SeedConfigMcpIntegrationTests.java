package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code mesh.seed.mcp.register}: a joining node's seed config names the mesh as an MCP server at the URL the node
 * reached the coordinator at, with its bearer token as a reference to the node's own environment, never a token.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + SeedFixtures.OPERATOR_TOKEN,
            "mesh.security.join-token=" + SeedFixtures.JOIN_TOKEN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.seed.mcp.register=true"
        })
@DirtiesContext
class SeedConfigMcpIntegrationTests {

    @TempDir
    static Path dir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void paths(DynamicPropertyRegistry properties) throws Exception {
        // the coordinator's own MCP servers stay its own: only the mesh's entry is shared
        Files.writeString(
                dir.resolve("openclaw.json"),
                SeedFixtures.CONFIG.replaceFirst(
                        "\\{", "{ mcp: { servers: { private: { url: 'http://10.0.0.9/mcp' } } },"));
        properties.add("mesh.data-dir", () -> dir.resolve("data").toString());
        properties.add(
                "mesh.openclaw-config", () -> dir.resolve("openclaw.json").toString());
        properties.add("mesh.workspace-dir", () -> dir.resolve("workspace").toString());
    }

    @Test
    void seedConfigShouldRegisterTheMeshAsAnMcpServerWithoutAnyToken() throws Exception {
        String nodeToken = SeedFixtures.registerWithTheJoinToken(this.port, "joiner");

        var response = SeedFixtures.fetchConfig(this.port, nodeToken);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> server = JsonPath.read(response.body(), "$.mcp.servers.claw-mesh");
        assertThat(server)
                .containsEntry("url", "http://127.0.0.1:" + this.port + "/mcp")
                .containsEntry("transport", "streamable-http")
                .containsEntry("headers", Map.of("Authorization", "Bearer ${CLAW_MESH_MCP_KEY}"));
        assertThat((Map<String, Object>) JsonPath.read(response.body(), "$.mcp.servers"))
                .containsOnlyKeys("claw-mesh");
        assertThat(response.body())
                .doesNotContain(SeedFixtures.OPERATOR_TOKEN, SeedFixtures.JOIN_TOKEN, nodeToken, "10.0.0.9")
                .doesNotContain(SeedFixtures.SECRETS);
        assertThat((Map<String, Object>) JsonPath.read(response.body(), "$")).containsKeys("models", "agents");
    }
}
