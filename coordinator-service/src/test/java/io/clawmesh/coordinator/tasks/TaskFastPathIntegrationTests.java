package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;

import io.clawmesh.common.task.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The task hot path ({@code TaskRequestFilter}, ADR 0017) against the general path (security chain, Spring MVC and
 * {@link TaskController}) over real HTTP: the same request must get the same status, headers and body from both, and
 * the hot path must really be the one taken for an operator's plain request. Every response header is compared but
 * {@code Date} and {@code Content-Length}; task ids and times are masked. The general path is reached with a body
 * declared as ISO-8859-1 (plain ASCII here) or a query string, which the hot path leaves alone.
 */
class TaskFastPathIntegrationTests extends TaskIntegrationTestSupport {

    private static final String FAST = "application/json";

    private static final String GENERAL = "application/json;charset=ISO-8859-1";

    /**
     * Headers that differ between any two answers, or by how the body is framed (the hot path knows a submission's
     * length and sends it; Spring MVC streams it chunked); every other header is compared.
     */
    private static final Set<String> IGNORED_HEADERS = Set.of("date", "content-length", "transfer-encoding");

    private final HttpClient http = HttpClient.newHttpClient();

    @MockitoSpyBean
    TaskController controller;

    @BeforeEach
    void noCallsYet() {
        clearInvocations(this.controller);
    }

    static Stream<Arguments> submissions() {
        return Stream.of(
                Arguments.of("a plain task", true, "{\"content\":\"hello\"}", Map.of()),
                Arguments.of(
                        "every field",
                        true,
                        "{\"content\":\"hi\",\"source\":\"cli\",\"session_key\":\"s-1\",\"priority\":7,"
                                + "\"timeout\":\"90s\",\"match\":\"gpu:true\"}",
                        Map.of()),
                Arguments.of("an idempotency key", true, "{\"content\":\"hello\"}", Map.of("Idempotency-Key", "k-1")),
                Arguments.of(
                        "a bad idempotency key", true, "{\"content\":\"hello\"}", Map.of("Idempotency-Key", "a b")),
                Arguments.of("blank content", true, "{\"content\":\"  \"}", Map.of()),
                Arguments.of("a priority out of range", true, "{\"content\":\"x\",\"priority\":10}", Map.of()),
                Arguments.of("a timeout without a unit", true, "{\"content\":\"x\",\"timeout\":\"90\"}", Map.of()),
                Arguments.of("an unknown target", true, "{\"content\":\"x\",\"target\":\"nowhere\"}", Map.of()),
                Arguments.of("broken JSON", false, "{\"content\":", Map.of()),
                Arguments.of("not an object", false, "[1]", Map.of()),
                Arguments.of("an unknown field", false, "{\"content\":\"x\",\"colour\":1}", Map.of()),
                Arguments.of("a wrong type", false, "{\"content\":{\"a\":1}}", Map.of()),
                Arguments.of("an empty body", false, "", Map.of()),
                Arguments.of("a JSON null", false, "null", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("submissions")
    void submitOnTheHotPathShouldAnswerExactlyAsTheGeneralPath(
            String name, boolean readable, String body, Map<String, String> headers) throws Exception {
        Answer fast = post(FAST, body, headers);
        assertThat(controllerCalls())
                .as("the hot path served it, not the controller")
                .isZero();
        if (headers.containsKey("Idempotency-Key")) {
            this.jdbc.update("DELETE FROM tasks"); // the general path's submission must be new too
            this.queue.inOrder().forEach((task) -> this.queue.remove(task.id()));
        }

        Answer general = post(GENERAL, body, headers);
        assertThat(controllerCalls())
                .as("the general path served it (an unreadable body never reaches the controller)")
                .isEqualTo(readable ? 1 : 0);

        assertThat(fast).isEqualTo(general);
    }

    @Test
    void resubmitOnTheHotPathShouldAnswerTheSameTaskOr409AsTheGeneralPath() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "key-42");
        Answer first = post(FAST, "{\"content\":\"hello\"}", key);

        Answer sameFast = post(FAST, "{\"content\":\"hello\"}", key);
        Answer sameGeneral = post(GENERAL, "{\"content\":\"hello\"}", key);
        Answer otherFast = post(FAST, "{\"content\":\"bye\"}", key);
        Answer otherGeneral = post(GENERAL, "{\"content\":\"bye\"}", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(sameFast.status()).isEqualTo(200);
        assertThat(sameFast).isEqualTo(sameGeneral);
        assertThat(otherFast.status()).isEqualTo(409);
        assertThat(otherFast).isEqualTo(otherGeneral);
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class))
                .isOne();
        assertThat(controllerCalls()).isEqualTo(2);
    }

    @Test
    void queueFullOnTheHotPathShouldAnswer429AsTheGeneralPath() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post(FAST, "{\"content\":\"waiting " + i + "\"}", Map.of())
                            .status())
                    .isEqualTo(202);
        }

        Answer fast = post(FAST, "{\"content\":\"one too many\"}", Map.of());
        Answer general = post(GENERAL, "{\"content\":\"one too many\"}", Map.of());

        assertThat(fast.status()).isEqualTo(429);
        assertThat(fast.headers()).containsEntry("retry-after", "5");
        assertThat(fast).isEqualTo(general);
    }

    @Test
    void eventsOnTheHotPathShouldStreamExactlyAsTheGeneralPath() throws Exception {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("Hello", ", ", "world");
        node("alpha", agent, 4);
        String id = submitted(body("say hello"));
        awaitStatus(id, TaskStatus.SUCCEEDED);
        clearInvocations(this.controller);

        for (String lastEventId : new String[] {null, "s", "d5", "end", "zzz"}) {
            Answer fast = get(TASKS + "/" + id + "/events", lastEventId);
            assertThat(controllerCalls()).as("the hot path served it").isZero();
            Answer general = get(TASKS + "/" + id + "/events?general", lastEventId);
            assertThat(controllerCalls()).as("the general path served it").isOne();
            clearInvocations(this.controller);

            assertThat(fast).as("Last-Event-ID %s", lastEventId).isEqualTo(general);
        }
        assertThat(get(TASKS + "/" + id + "/events", null).body())
                .contains("event: succeeded", "\"response\":\"Hello, world\"");
    }

    @Test
    void eventsOfAnUnknownTaskOnTheHotPathShouldBe404AsOnTheGeneralPath() throws Exception {
        String path = TASKS + "/task-00000000000000000000/events";

        Answer fast = get(path, null);
        Answer general = get(path + "?general", null);

        assertThat(fast.status()).isEqualTo(404);
        assertThat(fast).isEqualTo(general);
    }

    @Test
    void eventsOfATaskStillRunningShouldArriveLiveOnTheHotPath() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("one ", "two").holdAll(true);
        node("alpha", agent, 4);
        String id = submitted(body("count"));
        awaitStatus(id, TaskStatus.RUNNING);
        clearInvocations(this.controller);

        Thread release = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ex) {
                return;
            }
            agent.release(id);
        });
        List<Sse> events = events(id, null);
        release.interrupt();

        assertThat(controllerCalls())
                .as("the hot path followed the running task")
                .isZero();
        assertThat(events)
                .extracting(Sse::event)
                .startsWith("queued", "assigned", "started")
                .endsWith("succeeded");
        assertThat(Sse.text(events)).isEqualTo("one two");
    }

    @Test
    void requestsWithoutTheOperatorTokenOrWithExtrasShouldBeLeftToTheGeneralPath() throws Exception {
        HttpResponse<String> missing = this.http.send(
                HttpRequest.newBuilder(uri(TASKS))
                        .header("Content-Type", FAST)
                        .POST(BodyPublishers.ofString("{\"content\":\"x\"}"))
                        .build(),
                BodyHandlers.ofString());
        HttpResponse<String> join = http("POST", JOIN, TASKS, "{\"content\":\"x\"}", Map.of());
        HttpResponse<String> list = http("GET", OPERATOR, TASKS, null, Map.of());

        assertProblem(missing, 401, "unauthorized");
        assertProblem(join, 403, "forbidden");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(controllerCalls()).as("only the list reached the controller").isOne();
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class))
                .isZero();
    }

    private int controllerCalls() {
        return mockingDetails(this.controller).getInvocations().size();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private Answer post(String contentType, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(TASKS))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + OPERATOR)
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body, StandardCharsets.US_ASCII));
        headers.forEach(request::header);
        return answer(this.http.send(request.build(), BodyHandlers.ofString()));
    }

    private Answer get(String path, @Nullable String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + OPERATOR)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return answer(this.http.send(request.build(), BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> response) {
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((header, values) -> {
            if (!IGNORED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                headers.put(header.toLowerCase(Locale.ROOT), mask(String.join(", ", values)));
            }
        });
        return new Answer(response.statusCode(), headers, mask(response.body()));
    }

    private static String mask(String text) {
        return text.replaceAll("task-[0-9a-f]{20}", "task-*")
                .replaceAll("\"(node_id|instance)\":\"[^\"]*\"", "\"$1\":\"*\"")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "TIME");
    }

    /** What a client sees of one answer, with the per-task ids masked. */
    record Answer(int status, java.util.Map<String, String> headers, String body) {}
}
