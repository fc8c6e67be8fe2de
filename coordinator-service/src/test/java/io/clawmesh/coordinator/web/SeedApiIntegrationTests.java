package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.JOIN_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The seed-sync API over the real context: who may fetch, what is shared and what never is (SPEC §5, §9). */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class SeedApiIntegrationTests extends ApiIntegrationTestSupport {

    static final String SEED_CONFIG = "/api/v1/seed/config";

    static final String SEED_WORKSPACE = "/api/v1/seed/workspace";

    @TempDir
    static Path seedDir;

    @DynamicPropertySource
    static void seedPaths(DynamicPropertyRegistry properties) {
        properties.add("mesh.workspace-dir", () -> seedDir.resolve("workspace").toString());
        properties.add(
                "mesh.openclaw-config", () -> seedDir.resolve("openclaw.json").toString());
    }

    @BeforeEach
    void seed() throws IOException {
        Files.writeString(seedDir.resolve("openclaw.json"), """
                // the coordinator's own config, JSON5 as OpenClaw writes it
                {
                  meta: { lastTouchedVersion: '2026.9.6' },
                  wizard: { lastRunAt: 'x' },
                  gateway: { port: 18789, auth: { token: 'coordinator-secret' } },
                  channels: { telegram: { botToken: 't' } },
                  bindings: [],
                  agents: { defaults: { model: { primary: 'fake/fake-echo' } } },
                  models: { mode: 'replace', },
                }
                """);
        Path workspace = Files.createDirectories(seedDir.resolve("workspace"));
        Files.writeString(workspace.resolve("SOUL.md"), "be kind");
        Files.createDirectories(workspace.resolve("memory"));
        Files.writeString(workspace.resolve("memory/2026-11-23.md"), "met the mesh");
    }

    @Test
    void configWithANodeTokenShouldAnswerTheConfigWithoutNodeLocalKeys() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = get(node.token(), SEED_CONFIG);

        assertThat(result).hasStatus(200);
        Map<String, Object> config = JsonPath.read(body(result), "$");
        assertThat(config).containsOnlyKeys("agents", "models");
        assertThat(body(result)).doesNotContain("coordinator-secret").contains("fake/fake-echo");
    }

    @Test
    void seedWithTheOperatorTokenShouldAnswer200() {
        assertThat(get(OPERATOR_TOKEN, SEED_CONFIG)).hasStatus(200);
        assertThat(get(OPERATOR_TOKEN, SEED_WORKSPACE)).hasStatus(200);
    }

    @Test
    void seedWithoutATokenShouldAnswer401AndWithTheJoinToken403() {
        assertThat(get(null, SEED_CONFIG)).hasStatus(401);
        assertThat(get(null, SEED_WORKSPACE)).hasStatus(401);
        assertThat(get(JOIN_TOKEN, SEED_CONFIG)).hasStatus(403);
        assertThat(get(JOIN_TOKEN, SEED_WORKSPACE)).hasStatus(403);
        assertThat(get("not-a-token", SEED_WORKSPACE)).hasStatus(401);
    }

    @Test
    void workspaceWithANodeTokenShouldAnswerTheIdentityAndMemoryFiles() {
        RegisteredNode node = register("alpha", "127.0.0.1:19121");

        MvcTestResult result = get(node.token(), SEED_WORKSPACE);

        assertThat(result).hasStatus(200);
        List<String> paths = JsonPath.read(body(result), "$.files[*].path");
        assertThat(paths).containsExactly("SOUL.md", "memory/2026-11-23.md");
        assertThat((List<String>) JsonPath.read(body(result), "$.files[*].content"))
                .containsExactly("be kind", "met the mesh");
    }

    @Test
    void configWhenTheCoordinatorHasNoneShouldAnswer404SayingWhatToSet() throws IOException {
        Files.delete(seedDir.resolve("openclaw.json"));

        MvcTestResult result = get(OPERATOR_TOKEN, SEED_CONFIG);

        assertThat(result).hasStatus(404);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:clawmesh:problem:seed-config-not-found");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("mesh.openclaw-config");
    }

    @Test
    void configThatIsNotJsonShouldAnswer500NamingTheFile() throws IOException {
        Files.writeString(seedDir.resolve("openclaw.json"), "{ not json");

        MvcTestResult result = get(OPERATOR_TOKEN, SEED_CONFIG);

        assertThat(result).hasStatus(500);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:clawmesh:problem:seed-config-unreadable");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("openclaw.json");
    }
}
