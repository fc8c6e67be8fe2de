package io.clawmesh.agent.runtime.openclaw;

import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.openclaw.OpenClawSettings.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClawDiscoveryTests {

    @TempDir
    Path home;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void settingsShouldTakeEndpointAndTokenFromFlagsOrConfigurationFirst() throws Exception {
        writeConfig("{ gateway: { port: 19999, auth: { token: 'from-file' } } }");
        OpenClawDiscovery discovery = discovery(Map.of("OPENCLAW_GATEWAY_TOKEN", "from-env"));

        OpenClawSettings settings =
                discovery.settings(properties("ws://127.0.0.1:18800", "from-flag", "websocket", null));

        assertThat(settings.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:18800"));
        assertThat(settings.webSocketUri()).isEqualTo(URI.create("ws://127.0.0.1:18800/"));
        assertThat(settings.token()).isEqualTo("from-flag");
        assertThat(settings.transport()).isEqualTo(Transport.WEBSOCKET);
        assertThat(settings.source()).isEqualTo("configuration");
    }

    @Test
    void settingsShouldTakeTheTokenFromOpenclawGatewayTokenThenClawdbotGatewayToken() {
        assertThat(discovery(Map.of("OPENCLAW_GATEWAY_TOKEN", "oc", "CLAWDBOT_GATEWAY_TOKEN", "cb"))
                        .settings(properties(null, null, "auto", null))
                        .token())
                .isEqualTo("oc");
        assertThat(discovery(Map.of("CLAWDBOT_GATEWAY_TOKEN", "cb"))
                        .settings(properties(null, null, "auto", null))
                        .token())
                .isEqualTo("cb");
    }

    @Test
    void settingsShouldReadPortAndTokenFromJson5OpenclawJson() throws Exception {
        writeConfig("""
                // written by openclaw onboard
                {
                  gateway: {
                    mode: "local", port: 18999, bind: 'loopback',
                    auth: { mode: "token", token: "file-token", },  // trailing commas are JSON5
                  },
                }
                """);

        OpenClawSettings settings = discovery(Map.of()).settings(properties(null, null, "auto", null));

        assertThat(settings.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:18999"));
        assertThat(settings.token()).isEqualTo("file-token");
        assertThat(settings.source()).endsWith("openclaw.json");
    }

    @Test
    void settingsWithoutAnythingConfiguredShouldUseTheDefaultPort() {
        OpenClawSettings settings = discovery(Map.of()).settings(properties(null, null, "auto", null));

        assertThat(settings.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:18789"));
        assertThat(settings.token()).isNull();
        assertThat(settings.source()).isEqualTo("default port");
    }

    @Test
    void settingsWhenOpenclawJsonIsBrokenShouldIgnoreIt() throws Exception {
        writeConfig("{ gateway: ");

        OpenClawSettings settings = discovery(Map.of()).settings(properties(null, null, "auto", null));

        assertThat(settings.baseUrl().getPort()).isEqualTo(OpenClawSettings.DEFAULT_PORT);
    }

    @Test
    void findShouldAnswerAGatewayFromOpenclawJsonOnlyWhileItsHealthzAnswers() throws Exception {
        try (FakeOpenClawGateway gateway = new FakeOpenClawGateway("t").start()) {
            writeConfig("{ gateway: { port: " + gateway.port() + ", auth: { token: 't' } } }");
            OpenClawDiscovery discovery = discovery(Map.of());

            Optional<OpenClawSettings> found = discovery.find(properties(null, null, "auto", null));
            assertThat(found).map(OpenClawSettings::baseUrl).contains(URI.create("http://" + gateway.endpoint()));

            gateway.kill();
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            discovery.find(properties(null, null, "auto", null)).isEmpty());
        }
    }

    @Test
    void findWhenTheEndpointIsConfiguredShouldAnswerItWithoutAsking() {
        Optional<OpenClawSettings> found = discovery(Map.of()).find(properties("127.0.0.1:1", "t", "auto", null));

        assertThat(found).map(OpenClawSettings::baseUrl).contains(URI.create("http://127.0.0.1:1"));
    }

    @Test
    void settingsShouldHonourOpenclawConfigPath() throws Exception {
        Path config = this.home.resolve("elsewhere.json");
        Files.writeString(config, "{\"gateway\":{\"port\":18123}}");

        OpenClawSettings settings = discovery(Map.of("OPENCLAW_CONFIG_PATH", config.toString()))
                .settings(properties(null, null, "auto", null));

        assertThat(settings.baseUrl().getPort()).isEqualTo(18123);
    }

    @Test
    void badTransportOrEndpointShouldBeRefusedWithTheirNames() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> discovery(Map.of()).settings(properties(null, null, "carrier-pigeon", null)))
                .withMessageContaining("mesh.agent.gateway-transport must be auto, websocket or http");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenClawSettings.baseUrl("ftp://host:1"))
                .withMessageContaining("host:port or an http(s)/ws(s) URL");
        assertThat(OpenClawSettings.baseUrl("gateway.lan")).isEqualTo(URI.create("http://gateway.lan:18789"));
        assertThat(OpenClawSettings.baseUrl("https://gw.example:8443/x"))
                .isEqualTo(URI.create("https://gw.example:8443"));
    }

    private OpenClawDiscovery discovery(Map<String, String> environment) {
        return new OpenClawDiscovery(environment, this.home, this.http);
    }

    private void writeConfig(String content) throws Exception {
        Path dir = Files.createDirectories(this.home.resolve(".openclaw"));
        Files.writeString(dir.resolve("openclaw.json"), content);
    }
}
