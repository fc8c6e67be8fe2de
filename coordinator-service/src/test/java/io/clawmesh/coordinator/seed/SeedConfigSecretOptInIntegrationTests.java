package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The operator's per-key opt-in over real HTTP: exactly the one secret named leaves, every other stays. */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + SeedFixtures.OPERATOR_TOKEN,
            "mesh.security.join-token=" + SeedFixtures.JOIN_TOKEN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.seed.share-secret-keys=models.providers.openai.apiKey"
        })
@DirtiesContext
class SeedConfigSecretOptInIntegrationTests {

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
    void configWhenOneKeyIsOptedInShouldShareThatKeyAlone() throws Exception {
        String nodeToken = SeedFixtures.registerWithTheJoinToken(this.port, "newcomer");

        var response = SeedFixtures.fetchConfig(this.port, nodeToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.models.providers.openai.apiKey"))
                .isEqualTo("sk-provider-openai-LEAK3");
        List<String> others = SeedFixtures.SECRETS.stream()
                .filter((secret) -> !secret.equals("sk-provider-openai-LEAK3"))
                .toList();
        assertThat(response.body()).doesNotContain(others);
    }
}
