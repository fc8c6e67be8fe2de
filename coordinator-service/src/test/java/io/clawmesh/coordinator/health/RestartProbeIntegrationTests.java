package io.clawmesh.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.coordinator.CoordinatorApplication;
import io.clawmesh.coordinator.registry.RegistryFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node that dies while the coordinator is down: the real coordinator, restarted on the same H2 file, finds it offline
 * within seconds, not after the heartbeat timeout or three spread-out probe intervals.
 */
class RestartProbeIntegrationTests {

    private static final String TOKEN = "restart-probe-operator-token";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void restartWhenLoadedNodeDiedMeanwhileShouldMarkItOfflineWithinSeconds() throws Exception {
        String deadEndpoint = "127.0.0.1:" + closedPort();
        try (ConfigurableApplicationContext first = start("--mesh.health.probe-tick=1h")) {
            String body = first.getBean(JsonMapper.class)
                    .writeValueAsString(RegistryFixtures.request("gone-while-down", deadEndpoint));
            HttpResponse<String> registered = send(
                    first,
                    HttpRequest.newBuilder(uri(first, "/api/v1/nodes/register"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            assertThat(nodes(first)).contains("\"status\":\"online\"");
        }

        long restarted = System.nanoTime();
        try (ConfigurableApplicationContext second = start("--mesh.health.probe-tick=1s")) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(nodes(second)).contains("\"status\":\"offline\""));
            Duration took = Duration.ofNanos(System.nanoTime() - restarted);
            assertThat(took).isLessThan(HealthFixtures.HEARTBEAT_TIMEOUT);
        }
    }

    @Test
    void registerWhileRunningShouldKeepFirstProbeSpreadOverTheProbeInterval() throws Exception {
        try (ConfigurableApplicationContext coordinator = start("--mesh.health.probe-tick=1h")) {
            NodeProber prober = coordinator.getBean(NodeProber.class);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = coordinator
                        .getBean(JsonMapper.class)
                        .writeValueAsString(RegistryFixtures.request("fresh-" + i, "127.0.0.1:" + (20000 + i)));
                HttpResponse<String> registered = send(
                        coordinator,
                        HttpRequest.newBuilder(uri(coordinator, "/api/v1/nodes/register"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
                ids.add(coordinator
                        .getBean(JsonMapper.class)
                        .readTree(registered.body())
                        .get("node_id")
                        .asString());
            }
            prober.probeDue();
            long deferred = ids.stream()
                    .filter((id) -> prober.nextProbeAt(id).orElseThrow().isAfter(java.time.Instant.now()))
                    .count();
            assertThat(deferred)
                    .as("nodes registered with this run wait for their spread first probe")
                    .isGreaterThan(15);
        }
    }

    private ConfigurableApplicationContext start(String probeTick) {
        return new SpringApplicationBuilder(CoordinatorApplication.class)
                .run(
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--mesh.config.enabled=false",
                        "--mesh.data-dir=" + this.dataDir,
                        "--mesh.security.token=" + TOKEN,
                        "--mesh.security.allow-loopback=true",
                        "--mesh.health.sweep-interval=1s",
                        probeTick);
    }

    private String nodes(ConfigurableApplicationContext coordinator) throws IOException, InterruptedException {
        return send(coordinator, HttpRequest.newBuilder(uri(coordinator, "/api/v1/nodes")))
                .body();
    }

    private HttpResponse<String> send(ConfigurableApplicationContext coordinator, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return this.http.send(
                request.header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext coordinator, String path) {
        return URI.create("http://127.0.0.1:" + coordinator.getEnvironment().getProperty("local.server.port") + path);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
