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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A coordinator stops (or its rows are left as a killed one leaves them) and a second coordinator on the same H2 file
 * recovers: it re-attaches to running tasks, takes what the agents say about the ones they held, queues again only what
 * never started, and keeps asking nodes that cannot be asked. Real HTTP to fake agents on loopback; nothing runs twice.
 */
class TaskRecoveryIntegrationTests {

    private static final String OPERATOR = "cmo_test-operator-token-for-recovery";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Duration MINUTE = Duration.ofMinutes(1);

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

    @Test
    void restartShouldTakeWhatTheAgentSaysAboutEachTaskItHeldAndRunNothingTwice() throws Exception {
        try (FakeTaskAgent alpha = FakeTaskAgent.start()) {
            String assignedUnknown;
            String assignedOfAGoneNode;
            String runningUnknown;
            String succeeded;
            String failed;
            String canceled;
            String timedOut;
            try (ConfigurableApplicationContext first = coordinator()) {
                String alphaId = register(port(first), "alpha", alpha);
                JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
                // the rows a coordinator killed mid-work leaves; alpha answers for each as the comment says
                assignedUnknown = seed(jdbc, TaskStatus.ASSIGNED, alphaId, "alpha", MINUTE); // never got it
                assignedOfAGoneNode = seed(jdbc, TaskStatus.ASSIGNED, "node-removed-since", "gone", MINUTE);
                runningUnknown = seed(jdbc, TaskStatus.RUNNING, alphaId, "alpha", MINUTE); // lost it
                succeeded = seed(jdbc, TaskStatus.RUNNING, alphaId, "alpha", MINUTE);
                failed = seed(jdbc, TaskStatus.RUNNING, alphaId, "alpha", MINUTE);
                canceled = seed(jdbc, TaskStatus.RUNNING, alphaId, "alpha", MINUTE);
                timedOut = seed(jdbc, TaskStatus.ASSIGNED, alphaId, "alpha", MINUTE); // accepted, then ended
            }
            alpha.knows(succeeded, "succeeded", "finished while no coordinator listened", null)
                    .knows(failed, "failed", "half", "the runtime crashed")
                    .knows(canceled, "canceled", "", "canceled on the node")
                    .knows(timedOut, "timed_out", "slow", "the task's timeout passed on the agent");
            try (ConfigurableApplicationContext second = coordinator()) {
                int port = port(second);
                JsonNode done = awaitStatus(port, succeeded, TaskStatus.SUCCEEDED);
                assertThat(done.path("response").asString()).isEqualTo("finished while no coordinator listened");
                assertThat(awaitError(port, failed, TaskStatus.FAILED)).isEqualTo("the runtime crashed");
                assertThat(awaitError(port, canceled, TaskStatus.CANCELED)).isEqualTo("canceled on the node");
                assertThat(awaitError(port, timedOut, TaskStatus.TIMED_OUT))
                        .isEqualTo("the task's timeout passed on the agent");
                assertThat(awaitError(port, runningUnknown, TaskStatus.FAILED))
                        .contains("lost the task")
                        .contains("does not know it");
                // the two that never started anywhere run now, once
                awaitStatus(port, assignedUnknown, TaskStatus.SUCCEEDED);
                awaitStatus(port, assignedOfAGoneNode, TaskStatus.SUCCEEDED);
                assertThat(events(port, assignedUnknown))
                        .as("the requeued task's own stream shows it queued again and run")
                        .contains("queued", "assigned", "started", "succeeded");
            }
            assertThat(alpha.count("POST /api/v1/tasks"))
                    .as("only the two tasks that never started were sent, each once")
                    .isEqualTo(2);
            assertThat(alpha.content(assignedUnknown)).isEqualTo("content of " + assignedUnknown);
            assertThat(alpha.content(assignedOfAGoneNode)).isEqualTo("content of " + assignedOfAGoneNode);
            assertThat(alpha.content(runningUnknown))
                    .as("a lost running task is never sent again")
                    .isNull();
        }
    }

    @Test
    void restartShouldKeepAskingANodeThatCannotBeAskedUntilItAnswersOrTheTaskEnds() throws Exception {
        FakeTaskAgent late = FakeTaskAgent.start();
        FakeTaskAgent down = FakeTaskAgent.start();
        try (FakeTaskAgent offline = FakeTaskAgent.start()) {
            String comesBack;
            String neverAnswers;
            String onOfflineNode;
            try (ConfigurableApplicationContext first = coordinator()) {
                int port = port(first);
                String lateId = register(port, "late", late);
                String downId = register(port, "down", down);
                String offlineId = register(port, "offline", offline);
                JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
                jdbc.update("UPDATE nodes SET status = 'offline' WHERE id = ?", offlineId);
                comesBack = seed(jdbc, TaskStatus.RUNNING, lateId, "late", MINUTE);
                neverAnswers = seed(jdbc, TaskStatus.RUNNING, downId, "down", Duration.ofSeconds(20));
                onOfflineNode = seed(jdbc, TaskStatus.ASSIGNED, offlineId, "offline", MINUTE);
            }
            int latePort = late.port();
            late.close();
            down.close();
            offline.knows(onOfflineNode, "succeeded", "an offline node still answers", null);
            try (ConfigurableApplicationContext second = coordinator()) {
                int port = port(second);
                assertThat(awaitStatus(port, onOfflineNode, TaskStatus.SUCCEEDED)
                                .path("response")
                                .asString())
                        .isEqualTo("an offline node still answers");
                // longer than recovery used to ask before it failed such tasks (five tries, about 5 s): they wait,
                // neither failed nor sent elsewhere
                Thread.sleep(6000);
                assertThat(status(port, comesBack)).isEqualTo("running");
                assertThat(status(port, neverAnswers)).isEqualTo("running");
                try (FakeTaskAgent back = FakeTaskAgent.start(latePort)) {
                    back.knows(comesBack, "succeeded", "kept running while unreachable", null);
                    assertThat(awaitStatus(port, comesBack, TaskStatus.SUCCEEDED)
                                    .path("response")
                                    .asString())
                            .isEqualTo("kept running while unreachable");
                    assertThat(back.count("POST /api/v1/tasks")).isZero();
                }
                // the node that never answers: its deadline ends the task
                Awaitility.await()
                        .atMost(Duration.ofSeconds(40))
                        .untilAsserted(
                                () -> assertThat(status(port, neverAnswers)).isEqualTo("timed_out"));
            }
            assertThat(offline.count("POST /api/v1/tasks")).isZero();
            assertThat(offline.content(neverAnswers)).isNull();
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
                        "--mesh.registry.full-refresh=1h",
                        "--mesh.tasks.recovery-interval=500ms");
    }

    private static String register(int port, String name, FakeTaskAgent agent) throws Exception {
        String registration = "{\"name\":\"" + name + "\",\"endpoint\":\"" + agent.endpoint()
                + "\",\"capabilities\":{\"os\":\"linux\"},\"capacity\":4}";
        HttpResponse<String> response = call(port, "POST", "/api/v1/nodes/register", registration);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("node_id").asString();
    }

    /** Writes a task row as a coordinator that died mid-work leaves it; answers its id. */
    private static String seed(JdbcTemplate jdbc, TaskStatus status, String nodeId, String nodeName, Duration timeout) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        String id = "task-" + HexFormat.of().formatHex(bytes);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update(
                "INSERT INTO tasks (id, status, priority, content, source, timeout_ms, node_id, node_name, attempts,"
                        + " created_at, started_at) VALUES (?, ?, 0, ?, 'api', ?, ?, ?, 1, ?, ?)",
                id,
                status.wireName(),
                "content of " + id,
                timeout.toMillis(),
                nodeId,
                nodeName,
                now,
                (status == TaskStatus.RUNNING) ? now : null);
        return id;
    }

    /** The event names of a task's whole stream (it has ended). */
    private static List<String> events(int port, String id) throws Exception {
        HttpResponse<String> response = call(port, "GET", "/api/v1/tasks/" + id + "/events", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body()
                .lines()
                .filter((line) -> line.startsWith("event: "))
                .map((line) -> line.substring("event: ".length()))
                .toList();
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

    /** Awaits a task's final status and answers its error. */
    private static String awaitError(int port, String id, TaskStatus status) throws Exception {
        return awaitStatus(port, id, status).path("error").asString();
    }

    private static JsonNode awaitStatus(int port, String id, TaskStatus status) throws Exception {
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(port, id)).isEqualTo(status.wireName()));
        return JSON.readTree(call(port, "GET", "/api/v1/tasks/" + id, null).body());
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
