package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole coordinator over real HTTP on a real H2 database, with fake task agents on loopback. Background probes
 * and sweeps are pushed out of the way; every test starts without nodes or tasks.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + TaskIntegrationTestSupport.OPERATOR,
            "mesh.security.join-token=" + TaskIntegrationTestSupport.JOIN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h",
            "mesh.registry.full-refresh=1h",
            "mesh.tasks.max-queued=3",
            "mesh.tasks.keep-alive=1s",
            "mesh.tasks.node-backoff=200ms"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
abstract class TaskIntegrationTestSupport {

    static final String OPERATOR = "cmo_test-operator-token-for-task-tests";

    static final String JOIN = "cmj_test-join-token-for-task-tests";

    static final String TASKS = "/api/v1/tasks";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TaskBoard board;

    @Autowired
    TaskQueue queue;

    @Autowired
    TaskRunner runner;

    @LocalServerPort
    int port;

    final List<FakeTaskAgent> agents = new ArrayList<>();

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void startFromAnEmptyMesh() {
        reset();
    }

    @AfterEach
    void stopAgents() {
        reset();
        this.agents.forEach(FakeTaskAgent::close);
        this.agents.clear();
    }

    private void reset() {
        for (String id : this.jdbc.queryForList(
                "SELECT id FROM tasks WHERE status IN ('queued', 'assigned', 'running')", String.class)) {
            try {
                this.board.cancel(id);
            } catch (RuntimeException ex) {
                // it ended meanwhile
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.runner.activeCount() == 0);
        this.jdbc.update("DELETE FROM tasks");
        for (String id : this.jdbc.queryForList("SELECT id FROM nodes", String.class)) {
            http("DELETE", OPERATOR, "/api/v1/nodes/" + id, null, Map.of());
        }
    }

    /** Starts a fake agent and registers it as a node with {@code capacity} slots; answers the node id. */
    String node(String name, FakeTaskAgent agent, int capacity) {
        this.agents.add(agent);
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("name", name);
        registration.put("endpoint", agent.endpoint());
        registration.put("capabilities", Map.of("os", "linux", "arch", "amd64", "gpu", true, "memory_gb", 32));
        registration.put("capacity", capacity);
        HttpResponse<String> response =
                http("POST", JOIN, "/api/v1/nodes/register", JSON.writeValueAsString(registration), Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("node_id").asString();
    }

    HttpResponse<String> submit(Object body) {
        return submit(body, Map.of());
    }

    HttpResponse<String> submit(Object body, Map<String, String> headers) {
        String json = (body instanceof String text) ? text : JSON.writeValueAsString(body);
        return http("POST", OPERATOR, TASKS, json, headers);
    }

    /** Submits and answers the new task's id, asserting 202. */
    String submitted(Object body) {
        HttpResponse<String> response = submit(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("task_id").asString();
    }

    JsonNode task(String id) {
        HttpResponse<String> response = http("GET", OPERATOR, TASKS + "/" + id, null, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    String status(String id) {
        return task(id).path("status").asString();
    }

    JsonNode awaitStatus(String id, TaskStatus status) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(id)).isEqualTo(status.wireName()));
        return task(id);
    }

    HttpResponse<String> http(
            String method, @Nullable String token, String path, @Nullable String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Reads a task's whole event stream (it ends with the task). */
    List<Sse> events(String id, @Nullable String lastEventId) {
        Map<String, String> headers = (lastEventId != null) ? Map.of("Last-Event-ID", lastEventId) : Map.of();
        HttpResponse<String> response = http("GET", OPERATOR, TASKS + "/" + id + "/events", null, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Sse.parse(response.body());
    }

    static Map<String, Object> body(String content) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", content);
        return body;
    }

    static Map<String, Object> body(String content, String key, Object value) {
        Map<String, Object> body = body(content);
        body.put(key, value);
        return body;
    }

    static Map<String, Object> body(String content, String key, Object value, String key2, Object value2) {
        Map<String, Object> body = body(content, key, value);
        body.put(key2, value2);
        return body;
    }

    /** Asserts an RFC 9457 problem of type {@code urn:clawmesh:problem:<slug>} and answers its detail. */
    static String assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:clawmesh:problem:" + slug);
        String detail = problem.path("detail").asString();
        assertThat(detail).isNotBlank();
        return detail;
    }

    /** One server-sent event as a client reads it. */
    record Sse(String id, String event, JsonNode data) {

        static List<Sse> parse(String body) {
            List<Sse> events = new ArrayList<>();
            for (String frame : body.split("\n\n")) {
                String id = null;
                String event = null;
                String data = null;
                for (String line : frame.split("\n")) {
                    if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = line.substring(6);
                    }
                }
                if (event != null && id != null && data != null) {
                    events.add(new Sse(id, event, JSON.readTree(data)));
                }
            }
            return events;
        }

        static String text(List<Sse> events) {
            StringBuilder text = new StringBuilder();
            events.stream()
                    .filter((event) -> event.event().equals("delta"))
                    .forEach((event) -> text.append(event.data().path("text").asString()));
            return text.toString();
        }
    }
}
