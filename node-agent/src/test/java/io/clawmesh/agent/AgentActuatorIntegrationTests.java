package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.NodeAgentIntegrationTests.FakeCoordinatorServer;
import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The agent's actuator endpoints on its own HTTP server after real messages: the Prometheus scrape with the mesh
 * meters and their values, the health groups, the info endpoint, and the message id in the log lines.
 */
@SpringBootTest(
        properties = {
            "server.address=127.0.0.1",
            "server.port=0",
            "mesh.agent.name=it-actuator",
            "mesh.agent.token=join-secret",
            "mesh.agent.heartbeat-interval=200ms",
            "logging.level.io.clawmesh.agent.inbound=DEBUG"
        })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class AgentActuatorIntegrationTests {

    private static final FakeCoordinatorServer coordinator = FakeCoordinatorServer.start();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Autowired
    private AgentHttpServer server;

    @DynamicPropertySource
    static void coordinatorProperties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("claw-mesh-agent-actuator");
        registry.add("mesh.agent.coordinator-url", coordinator::url);
        registry.add("mesh.agent.data-dir", dataDir::toString);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.server.stop(0);
    }

    @Test
    void prometheusAfterThreeMessagesShouldShowThemWithTheCommonTags(CapturedOutput output) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> !coordinator.registrations.isEmpty());
        for (int i = 1; i <= 3; i++) {
            assertThat(deliver("msg-metrics-" + i).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String tags = "application=\"node-agent\",instance=\"it-actuator\"";
        assertThat(scrape.body())
                .contains("mesh_agent_messages_total{" + tags + ",outcome=\"ok\",runtime=\"echo\"} 3.0")
                .contains("mesh_agent_messages_total{" + tags + ",outcome=\"rejected\",runtime=\"echo\"} 0.0")
                .contains("mesh_agent_runtime_duration_seconds_count{" + tags + ",outcome=\"ok\",runtime=\"echo\"} 3")
                .contains("mesh_agent_runtime_connected{" + tags + "} 1.0")
                .contains("jvm_memory_used_bytes{application=\"node-agent\",area=\"heap\"");
        assertThat(output.getOut())
                .as("the message id in the logging context of the line about the message")
                .containsPattern("\\[msg-metrics-2] .*Message msg-metrics-2 handed to the echo runtime");
    }

    @Test
    void healthGroupsShouldAnswerUpWithTheRuntime() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> health = get("/actuator/health");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).startsWith("{\"status\":\"UP\"").doesNotContain("runtime");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body())
                .startsWith("{\"status\":\"UP\"")
                .contains("\"runtime\":{\"status\":\"UP\"")
                .contains("\"kind\":\"echo\"");
        assertThat(health.body()).contains("\"groups\":[\"liveness\",\"readiness\"]");
    }

    @Test
    void infoShouldNameTheApplicationAndItsVersion() throws Exception {
        HttpResponse<String> info = get("/actuator/info");

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"app\":{\"name\":\"node-agent\"}").contains("\"version\":\"");
    }

    private HttpResponse<String> deliver(String messageId) throws Exception {
        String credential = NodeCredentials.deliveryCredential(
                NodeCredentials.hash(NodeAgentIntegrationTests.NODE_TOKEN), NodeAgentIntegrationTests.NODE_ID);
        return this.http.send(
                HttpRequest.newBuilder(uri(ApiPaths.AGENT_MESSAGES))
                        .header("Authorization", "Bearer " + credential)
                        .header(ApiPaths.MESSAGE_ID_HEADER, messageId)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"id\":\"" + messageId + "\",\"content\":\"ping\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.server.port() + path);
    }
}
