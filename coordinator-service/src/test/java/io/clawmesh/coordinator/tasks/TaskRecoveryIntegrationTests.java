package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.CoordinatorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A coordinator stops while a task runs and another waits; a second coordinator on the same H2 file re-attaches to the
 * running task and runs the queued one, each exactly once on the agent.
 */
class TaskRecoveryIntegrationTests {

    private static final String OPERATOR = "cmo_test-operator-token-for-recovery";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void restartShouldReattachTheRunningTaskAndRunTheQueuedOneEachExactlyOnce() throws Exception {
        try (FakeTaskAgent agent =
                FakeTaskAgent.start().chunks("before ", "restart").holdAll(true)) {
            String running;
            String queued;
            try (ConfigurableApplicationContext first = coordinator()) {
                int port = port(first);
                String registration = "{\"name\":\"alpha\",\"endpoint\":\"" + agent.endpoint()
                        + "\",\"capabilities\":{\"os\":\"linux\"},\"capacity\":1}";
                assertThat(call(port, "POST", "/api/v1/nodes/register", registration)
                                .statusCode())
                        .isEqualTo(201);
                running = id(call(port, "POST", "/api/v1/tasks", "{\"content\":\"first\"}"));
                awaitStatus(port, running, TaskStatus.RUNNING);
                queued = id(call(port, "POST", "/api/v1/tasks", "{\"content\":\"second\"}"));
                assertThat(status(port, queued)).isEqualTo("queued");
            }
            try (ConfigurableApplicationContext second = coordinator()) {
                int port = port(second);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(15))
                        .until(() -> agent.count("GET /api/v1/tasks/" + running) >= 1);
                assertThat(status(port, running)).isEqualTo("running");
                agent.release(running);
                awaitStatus(port, running, TaskStatus.SUCCEEDED);
                awaitStatus(port, queued, TaskStatus.RUNNING);
                agent.release(queued);
                awaitStatus(port, queued, TaskStatus.SUCCEEDED);
                String response = JSON.readTree(call(port, "GET", "/api/v1/tasks/" + running, null)
                                .body())
                        .path("response")
                        .asString();
                assertThat(response).isEqualTo("before restart");
            }
            assertThat(agent.count("POST /api/v1/tasks"))
                    .as("each task posted once")
                    .isEqualTo(2);
            assertThat(agent.content(running)).isEqualTo("first");
            assertThat(agent.content(queued)).isEqualTo("second");
        }
    }

    private ConfigurableApplicationContext coordinator() {
        // command-line arguments: they outrank application.yml, default properties do not
        return new SpringApplicationBuilder(CoordinatorApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--mesh.data-dir=" + this.dataDir,
                        "--mesh.security.token=" + OPERATOR,
                        "--mesh.security.allow-private=true",
                        "--mesh.health.probe-tick=1h",
                        "--mesh.health.sweep-interval=1h",
                        "--mesh.health.heartbeat-timeout=1h",
                        "--mesh.registry.full-refresh=1h");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("task_id").asString();
    }

    private static String status(int port, String id) throws Exception {
        return JSON.readTree(call(port, "GET", "/api/v1/tasks/" + id, null).body())
                .path("status")
                .asString();
    }

    private static void awaitStatus(int port, String id, TaskStatus status) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(port, id)).isEqualTo(status.wireName()));
    }

    private static HttpResponse<String> call(int port, String method, String path, @Nullable String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + OPERATOR)
                .method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), BodyHandlers.ofString());
    }
}
