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
 * Issue 12 item 2 replayed over real HTTP: a node that registered a moment ago with the join token fetches the seed
 * config and gets none of the coordinator's secrets (SPEC §9).
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + SeedFixtures.OPERATOR_TOKEN,
            "mesh.security.join-token=" + SeedFixtures.JOIN_TOKEN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class SeedConfigSecretsIntegrationTests {

    @TempDir
    static Path dir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void paths(DynamicPropertyRegistry properties) throws Exception {
        Files.writeString(dir.resolve("openclaw.json"), SeedFixtures.CONFIG);
        properties.add("mesh.data-dir", () -> dir.resolve("data").toString());
        properties.add(
                "mesh.openclaw-config", () -> dir.resolve("openclaw.json").toString());
        properties.add("mesh.workspace-dir", () -> dir.resolve("workspace").toString());
    }

    @Test
    void configFetchedWithAFreshNodeTokenShouldCarryNoSecretAnywhere() throws Exception {
        String nodeToken = SeedFixtures.registerWithTheJoinToken(this.port, "newcomer");

        var response = SeedFixtures.fetchConfig(this.port, nodeToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(SeedFixtures.SECRETS);
        Map<String, Object> config = JsonPath.read(response.body(), "$");
        assertThat(config).containsOnlyKeys("models", "skills", "agents", "tools");
        assertThat(response.body())
                .contains("https://api.openai.example/v1", "openai/gpt", "coding", "\"maxTokens\":4096");
        assertThat((Boolean) JsonPath.read(response.body(), "$.skills.entries.weather.enabled"))
                .isTrue();
    }

    @Test
    void configFetchedWithAFreshNodeTokenShouldCarryNoCredentialUnderOtherKeyNames() throws Exception {
        String nodeToken = SeedFixtures.registerWithTheJoinToken(this.port, "header-reader");

        var response = SeedFixtures.fetchConfig(this.port, nodeToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(SeedFixtures.OTHER_CREDENTIALS);
        assertThat((String) JsonPath.read(response.body(), "$.models.providers.proxied.headers.X-Team"))
                .isEqualTo("research");
        assertThat((String) JsonPath.read(response.body(), "$.tools.web.search.provider"))
                .isEqualTo("brave");
    }
}
