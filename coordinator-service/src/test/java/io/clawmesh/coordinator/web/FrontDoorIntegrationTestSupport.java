package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import io.clawmesh.coordinator.tasks.TaskBoard;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

/**
 * The front doors (SPEC §21) over real HTTP: client keys made through the API, fake agents on loopback. Every test
 * starts without keys and tasks.
 */
@TestPropertySource(properties = {"mesh.security.allow-private=true", "mesh.forwarding.timeout=5s"})
abstract class FrontDoorIntegrationTestSupport extends ApiIntegrationTestSupport {

    static final String KEYS = "/api/v1/keys";

    static final String TASKS = "/api/v1/tasks";

    static final String MODELS = "/v1/models";

    static final String CHAT = "/v1/chat/completions";

    final List<FakeAgent> agents = new ArrayList<>();

    @Autowired
    TaskBoard board;

    @BeforeEach
    void startWithoutKeysAndTasks() {
        clearTasks();
        this.jdbc.update("DELETE FROM client_keys");
    }

    @AfterEach
    void stopAgentsAndTasks() {
        clearTasks();
        this.agents.forEach(FakeAgent::close);
        this.agents.clear();
    }

    private void clearTasks() {
        for (String id : this.jdbc.queryForList(
                "SELECT id FROM tasks WHERE status IN ('queued', 'assigned', 'running')", String.class)) {
            try {
                this.board.cancel(id);
            } catch (RuntimeException ex) {
                // it ended meanwhile
            }
        }
        this.jdbc.update("DELETE FROM tasks");
    }

    FakeAgent agent(String name) {
        FakeAgent agent = FakeAgent.start(name);
        this.agents.add(agent);
        return agent;
    }

    /** Creates a client key through the API and answers its secret. */
    String clientKey(String name, @Nullable List<String> models, @Nullable Integer rate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (models != null) {
            body.put("models", models);
        }
        if (rate != null) {
            body.put("rate_per_minute", rate);
        }
        HttpResponse<String> created = http("POST", ApiFixtures.OPERATOR_TOKEN, KEYS, ApiFixtures.json(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JsonPath.read(created.body(), "$.secret");
    }

    String clientKey(String name) {
        return clientKey(name, null, null);
    }

    /** Asserts an error in OpenAI's shape and answers its message. */
    static String assertOpenAiError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue(HttpHeaders.CONTENT_TYPE))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
        assertThat((String) JsonPath.read(response.body(), "$.error.code")).isEqualTo(code);
        assertThat((String) JsonPath.read(response.body(), "$.error.type")).isNotBlank();
        assertThat(JsonPath.<Object>read(response.body(), "$.error.param")).isNull();
        String message = JsonPath.read(response.body(), "$.error.message");
        assertThat(message).isNotBlank();
        return message;
    }

    static String chat(String model, String content, boolean stream) {
        return ApiFixtures.json(Map.of(
                "model", model, "stream", stream, "messages", List.of(Map.of("role", "user", "content", content))));
    }
}
