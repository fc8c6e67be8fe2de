package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client keys (SPEC §21) as an attacker sees them: only the operator manages keys, a client key may use only the
 * front doors and its own tasks (403 elsewhere, 404 for another's task), a revoked key is refused at once, a key over
 * its rate gets 429 with {@code Retry-After}.
 */
class ClientKeyApiIntegrationTests extends FrontDoorIntegrationTestSupport {

    @Test
    void operatorShouldCreateListAndRevokeKeysAndSeeTheSecretOnlyOnce() {
        HttpResponse<String> created = http(
                "POST",
                OPERATOR_TOKEN,
                KEYS,
                "{\"name\":\"chat-ui\",\"models\":[\"mesh/auto\",\"mesh/node/*\"],\"rate_per_minute\":30}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = JsonPath.read(created.body(), "$.secret");
        assertThat(secret).startsWith("cmk_");
        assertThat((String) JsonPath.read(created.body(), "$.key.id")).startsWith("key-");

        HttpResponse<String> list = http("GET", OPERATOR_TOKEN, KEYS, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body())
                .doesNotContain(secret)
                .contains("\"name\":\"chat-ui\"")
                .contains("\"use_count\":0");
        assertThat(this.jdbc.queryForList("SELECT * FROM client_keys").toString())
                .doesNotContain(secret);

        HttpResponse<String> revoked = http("DELETE", OPERATOR_TOKEN, KEYS + "/chat-ui", null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JsonPath.<Object>read(revoked.body(), "$.revoked_at")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"Bad Name\"}",
                "{\"name\":42}",
                "{}",
                "{\"name\":\"x\",\"models\":\"mesh/auto\"}",
                "{\"name\":\"x\",\"models\":[\"gpt-4\"]}",
                "{\"name\":\"x\",\"rate_per_minute\":0}",
                "{\"name\":\"x\",\"rate_per_minute\":\"10\"}",
                "{\"name\":\"x\",\"secret\":\"cmk_mine\"}",
                "{\"name\":",
                "[]"
            })
    void createWithBadInputShouldAnswer400AndCreateNothing(String body) {
        HttpResponse<String> response = http("POST", OPERATOR_TOKEN, KEYS, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM client_keys", Integer.class))
                .isZero();
    }

    @Test
    void createWithATakenNameShouldAnswer409AndRevokeOfAnUnknownKey404() {
        clientKey("taken");

        assertProblem(http("POST", OPERATOR_TOKEN, KEYS, "{\"name\":\"taken\"}"), 409, "key-name-conflict");
        assertProblem(http("DELETE", OPERATOR_TOKEN, KEYS + "/nobody", null), 404, "key-not-found");
    }

    @Test
    void keysApiShouldBeTheOperatorsOnly() {
        String client = clientKey("client");
        String node = register("alpha", agent("alpha").endpoint()).token();

        for (String token : new String[] {client, node, ApiFixtures.JOIN_TOKEN}) {
            assertProblem(http("GET", token, KEYS, null), 403, "forbidden");
            assertProblem(http("POST", token, KEYS, "{\"name\":\"mine\"}"), 403, "forbidden");
            assertProblem(http("DELETE", token, KEYS + "/client", null), 403, "forbidden");
        }
        assertProblem(http("GET", null, KEYS, null), 401, "unauthorized");
        assertProblem(http("GET", "wrong", KEYS, null), 401, "unauthorized");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM client_keys", Integer.class))
                .isOne();
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /api/v1/nodes",
        "POST, /api/v1/nodes/register",
        "GET, /api/v1/rules",
        "POST, /api/v1/rules",
        "POST, /api/v1/route",
        "GET, /api/v1/events",
        "GET, /api/v1/seed/config",
        "GET, /api/v1/keys",
        "GET, /dashboard",
        "GET, /dashboard/nodes",
        "GET, /actuator/prometheus",
        "GET, /actuator/health"
    })
    void clientKeyShouldBeForbiddenEverywhereButTheFrontDoorsAndItsTasks(String method, String path) {
        String client = clientKey("client");

        HttpResponse<String> response =
                http(method, client, path, method.equals("POST") ? "{\"content\":\"x\"}" : null);

        assertProblem(response, 403, "forbidden");
    }

    @Test
    void clientKeyShouldSeeOnlyItsOwnTasks() {
        String mine = clientKey("mine");
        String theirs = clientKey("theirs");
        String task = JsonPath.read(
                http("POST", mine, TASKS, "{\"content\":\"hello\"}").body(), "$.task_id");
        String operatorTask = JsonPath.read(
                http("POST", OPERATOR_TOKEN, TASKS, "{\"content\":\"op\"}").body(), "$.task_id");

        assertThat(http("GET", mine, TASKS + "/" + task, null).statusCode()).isEqualTo(200);
        assertThat(http("GET", OPERATOR_TOKEN, TASKS + "/" + task, null).statusCode())
                .isEqualTo(200);
        assertThat(this.jdbc.queryForObject("SELECT owner FROM tasks WHERE id = ?", String.class, task))
                .startsWith("key-");
        assertProblem(http("GET", theirs, TASKS + "/" + task, null), 404, "task-not-found");
        assertProblem(http("GET", theirs, TASKS + "/" + task + "/events", null), 404, "task-not-found");
        assertProblem(http("DELETE", theirs, TASKS + "/" + task, null), 404, "task-not-found");
        assertProblem(http("GET", mine, TASKS + "/" + operatorTask, null), 404, "task-not-found");
        assertProblem(http("DELETE", mine, TASKS + "/" + operatorTask, null), 404, "task-not-found");

        List<String> mineListed = JsonPath.read(http("GET", mine, TASKS, null).body(), "$.tasks[*].task_id");
        List<String> theirsListed =
                JsonPath.read(http("GET", theirs, TASKS, null).body(), "$.tasks[*].task_id");
        assertThat(mineListed).containsExactly(task);
        assertThat(theirsListed).isEmpty();
        assertThat(http("GET", theirs, TASKS + "/" + task, null).body()).doesNotContain("hello");

        HttpResponse<String> canceled = http("DELETE", mine, TASKS + "/" + task, null);
        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(canceled.body(), "$.status")).isEqualTo("canceled");
    }

    @Test
    void anotherClientsIdempotencyKeyShouldNotNameItsTask() {
        String mine = clientKey("mine");
        String theirs = clientKey("theirs");
        Map<String, String> key = Map.of("Idempotency-Key", "same-key");
        String task = JsonPath.read(
                http("POST", mine, TASKS, "{\"content\":\"hello\"}", key).body(), "$.task_id");

        HttpResponse<String> reused = http("POST", theirs, TASKS, "{\"content\":\"hello\"}", key);

        assertProblem(reused, 400, "invalid-input");
        assertThat(reused.body()).doesNotContain(task);
    }

    @Test
    void revokedKeyShouldBeRefusedAtOnce() {
        String client = clientKey("soon-gone");
        assertThat(http("GET", client, MODELS, null).statusCode()).isEqualTo(200);

        assertThat(http("DELETE", OPERATOR_TOKEN, KEYS + "/soon-gone", null).statusCode())
                .isEqualTo(200);

        assertOpenAiError(http("GET", client, MODELS, null), 401, "unauthorized");
        assertProblem(http("POST", client, TASKS, "{\"content\":\"x\"}"), 401, "unauthorized");
    }

    @Test
    void keyOverItsRateShouldGet429WithRetryAfter() {
        String client = clientKey("limited", null, 2);
        assertThat(http("GET", client, MODELS, null).statusCode()).isEqualTo(200);
        assertThat(http("GET", client, MODELS, null).statusCode()).isEqualTo(200);

        HttpResponse<String> limited = http("GET", client, MODELS, null);

        assertOpenAiError(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        (seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        HttpResponse<String> task = http("POST", client, TASKS, "{\"content\":\"x\"}");
        assertProblem(task, 429, "rate-limited");
        assertThat(task.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void usesShouldBeCountedInBatches() {
        String client = clientKey("counted");
        http("GET", client, MODELS, null);
        http("GET", client, MODELS, null);

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(this.jdbc.queryForObject(
                                "SELECT use_count FROM client_keys WHERE name = 'counted'", Long.class))
                        .isEqualTo(2));
        assertThat(this.jdbc.queryForObject(
                        "SELECT last_used_at FROM client_keys WHERE name = 'counted'", Object.class))
                .isNotNull();
    }
}
