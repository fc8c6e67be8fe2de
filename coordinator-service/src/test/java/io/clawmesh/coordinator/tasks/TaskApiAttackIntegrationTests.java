package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad callers and bad input on the task API: each gets a clear problem, and nothing changes. */
class TaskApiAttackIntegrationTests extends TaskIntegrationTestSupport {

    private static final String SOME_TASK = TASKS + "/task-00000000000000000000";

    private int taskRows() {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class);
    }

    @Test
    void everyTaskEndpointWithoutATokenShouldAnswer401() {
        assertProblem(http("POST", null, TASKS, "{\"content\":\"x\"}", Map.of()), 401, "unauthorized");
        assertProblem(http("GET", null, TASKS, null, Map.of()), 401, "unauthorized");
        assertProblem(http("GET", null, SOME_TASK, null, Map.of()), 401, "unauthorized");
        assertProblem(http("GET", null, SOME_TASK + "/events", null, Map.of()), 401, "unauthorized");
        assertProblem(http("DELETE", null, SOME_TASK, null, Map.of()), 401, "unauthorized");
        assertThat(taskRows()).isZero();
    }

    @Test
    void everyTaskEndpointWithANodeOrJoinTokenShouldAnswer403() {
        FakeTaskAgent agent = FakeTaskAgent.start();
        node("alpha", agent, 1);
        String nodeToken = JSON.readTree(http(
                                "POST",
                                JOIN,
                                "/api/v1/nodes/register",
                                "{\"name\":\"beta\",\"endpoint\":\"127.0.0.1:1\",\"capabilities\":{}}",
                                Map.of())
                        .body())
                .path("token")
                .asString();

        for (String token : new String[] {nodeToken, JOIN}) {
            assertProblem(http("POST", token, TASKS, "{\"content\":\"x\"}", Map.of()), 403, "forbidden");
            assertProblem(http("GET", token, TASKS, null, Map.of()), 403, "forbidden");
            assertProblem(http("GET", token, SOME_TASK + "/events", null, Map.of()), 403, "forbidden");
            assertProblem(http("DELETE", token, SOME_TASK, null, Map.of()), 403, "forbidden");
        }
        assertThat(taskRows()).isZero();
    }

    @Test
    void submitWithABadBodyShouldAnswer400AndCreateNothing() {
        assertProblem(submit("{\"content\": \"x\""), 400, "malformed-json");
        assertProblem(submit("{\"content\": \"x\", \"colour\": \"red\"}"), 400, "unknown-field");
        assertProblem(submit("{\"content\": \"x\", \"priority\": \"high\"}"), 400, "invalid-field-type");
        assertProblem(submit("{\"content\": 42}"), 400, "invalid-field-type");
        assertProblem(submit("null"), 400, "unreadable-body");
        assertThat(assertProblem(submit(body(" ")), 400, "invalid-input")).contains("content");
        assertThat(assertProblem(submit(body("x", "priority", 10)), 400, "invalid-input"))
                .contains("priority");
        assertThat(assertProblem(submit(body("x", "timeout", "banana")), 400, "invalid-input"))
                .contains("timeout");
        assertThat(assertProblem(submit(body("x", "timeout", "90")), 400, "invalid-input"))
                .contains("unit");
        assertThat(assertProblem(submit(body("x", "timeout", "400d")), 400, "invalid-input"))
                .contains("max-timeout");
        assertThat(assertProblem(submit(body("x", "match", "colour:red")), 400, "invalid-input"))
                .contains("unknown match key");
        assertThat(assertProblem(submit(body("x", "target", "group:gpus")), 400, "invalid-input"))
                .contains("groups are not supported yet");
        assertThat(assertProblem(submit(body("x", "session_key", "a\nb")), 400, "invalid-input"))
                .contains("control characters");
        assertProblem(submit(body("x"), Map.of("Idempotency-Key", "bad key")), 400, "invalid-input");
        assertThat(taskRows()).isZero();
    }

    @Test
    void submitForNoNodeThatCouldEverRunItShouldBeRefusedAtOnce() {
        FakeTaskAgent agent = FakeTaskAgent.start();
        node("alpha", agent, 1);

        assertThat(assertProblem(submit(body("x", "target", "nobody")), 404, "node-not-found"))
                .contains("nobody");
        assertThat(assertProblem(submit(body("x", "match", "os:darwin")), 400, "invalid-input"))
                .contains("no registered node matches 'os:darwin'");
        assertThat(assertProblem(submit(body("x", "target", "alpha", "match", "os:windows")), 400, "invalid-input"))
                .contains("does not match");
        assertThat(taskRows()).isZero();
    }

    @Test
    void submitOverTheBodyLimitShouldAnswer413() {
        String huge = "{\"content\": \"" + "x".repeat(1_100_000) + "\"}";

        assertProblem(submit(huge), 413, "payload-too-large");
        assertThat(assertProblem(submit(body("x".repeat(600_000))), 400, "invalid-input"))
                .contains("at most 524288");
        assertThat(taskRows()).isZero();
    }

    @Test
    void unknownOrMalformedTaskIdsShouldAnswer404() {
        assertProblem(http("GET", OPERATOR, SOME_TASK, null, Map.of()), 404, "task-not-found");
        assertProblem(
                http("GET", OPERATOR, TASKS + "/task-ZZZZZZZZZZZZZZZZZZZZ", null, Map.of()), 404, "task-not-found");
        assertProblem(http("GET", OPERATOR, TASKS + "/not-a-task", null, Map.of()), 404, "task-not-found");
        assertProblem(http("DELETE", OPERATOR, SOME_TASK, null, Map.of()), 404, "task-not-found");
        assertProblem(http("GET", OPERATOR, SOME_TASK + "/events", null, Map.of()), 404, "task-not-found");
    }

    @Test
    void listWithBadParametersShouldAnswer400() {
        assertThat(assertProblem(
                        http("GET", OPERATOR, TASKS + "?cursor=garbage", null, Map.of()), 400, "invalid-input"))
                .contains("cursor");
        assertProblem(http("GET", OPERATOR, TASKS + "?cursor=c2VxOi01", null, Map.of()), 400, "invalid-input");
        assertProblem(http("GET", OPERATOR, TASKS + "?limit=0", null, Map.of()), 400, "invalid-input");
        assertProblem(http("GET", OPERATOR, TASKS + "?limit=1000", null, Map.of()), 400, "invalid-input");
        assertProblem(http("GET", OPERATOR, TASKS + "?limit=ten", null, Map.of()), 400, "bad-request");
        assertThat(assertProblem(http("GET", OPERATOR, TASKS + "?status=done", null, Map.of()), 400, "invalid-input"))
                .contains("unknown task status");
    }

    @Test
    void eventsWithAGarbageLastEventIdShouldAnswer400BeforeStreaming() {
        String id = submitted(body("waits"));

        for (String garbage : new String[] {"x", "a0", "d-1", "dd", "a" + "9".repeat(20), "end2"}) {
            HttpResponse<String> response =
                    http("GET", OPERATOR, TASKS + "/" + id + "/events", null, Map.of("Last-Event-ID", garbage));
            assertThat(assertProblem(response, 400, "invalid-input")).contains("Last-Event-ID");
        }
        assertThat(status(id)).isEqualTo("queued");
    }
}
