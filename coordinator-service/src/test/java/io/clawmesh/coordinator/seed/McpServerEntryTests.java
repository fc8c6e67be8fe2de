package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mesh's entry in a shared OpenClaw config, and the checks of {@code mesh.seed.mcp.*}. */
class McpServerEntryTests {

    @TempDir
    Path dir;

    @Test
    void registerWithoutAnOpenClawConfigShouldShareTheMcpEntryAlone() {
        SeedFiles files = new SeedFiles(
                new SeedProperties(this.dir.resolve("workspace"), this.dir.resolve("missing.json")),
                new SharedConfigFilter(new SeedSharingProperties(List.of())));
        SeedController controller = new SeedController(
                files, new McpSeedProperties(true, URI.create("https://mesh.example.com/mcp"), "MESH_KEY"));

        Map<String, Object> config = controller.config();

        assertThat(config).containsOnlyKeys("mcp");
        assertThat(config.get("mcp"))
                .isEqualTo(Map.of(
                        "servers",
                        Map.of(
                                "claw-mesh",
                                Map.of(
                                        "url", "https://mesh.example.com/mcp",
                                        "transport", "streamable-http",
                                        "headers", Map.of("Authorization", "Bearer ${MESH_KEY}")))));
    }

    @Test
    void entryShouldReplaceAnyMcpSectionAndKeepTheRest() {
        Map<String, Object> shared = McpServerEntry.addTo(
                Map.of("models", Map.of("a", 1), "mcp", Map.of("servers", Map.of("other", Map.of()))),
                "http://h/mcp",
                "K");

        assertThat(shared).containsEntry("models", Map.of("a", 1));
        assertThat(shared.get("mcp").toString()).contains("claw-mesh").doesNotContain("other");
    }

    @Test
    void propertiesShouldRefuseANameOpenClawWouldNotSubstituteAndANonHttpUrl() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new McpSeedProperties(true, null, "lower_case"))
                .withMessageContaining("mesh.seed.mcp.key-env");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new McpSeedProperties(true, URI.create("file:///etc/passwd"), "KEY"))
                .withMessageContaining("mesh.seed.mcp.url");
    }
}
