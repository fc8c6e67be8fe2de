package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.events.EventStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** {@code GET /api/v1/events} over real HTTP: the frames a client reads, replay, keep-alive and refusals. */
@TestPropertySource(properties = {"mesh.security.allow-private=true", "mesh.events.keep-alive=300ms"})
class EventApiIntegrationTests extends ApiIntegrationTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private final List<OpenStream> streams = new ArrayList<>();

    @Autowired
    EventStream eventStream;

    @AfterEach
    void closeStreams() {
        this.streams.forEach(OpenStream::close);
        this.http.close();
    }

    @Test
    void eventsShouldStreamNodeRuleAndMessageChangesAsTheyHappen() throws Exception {
        OpenStream stream = open(ApiFixtures.OPERATOR_TOKEN, null);
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));

        RegisteredNode node = register("gpu-1", "127.0.0.1:19121");
        String ruleId = addRule(ApiFixtures.gpuRule());
        assertThat(delete(ApiFixtures.OPERATOR_TOKEN, RULES + "/" + ruleId)).hasStatus(204);
        assertThat(delete(ApiFixtures.OPERATOR_TOKEN, NODES + "/" + node.id())).hasStatus(204);

        Frame registered = stream.nextEvent();
        assertThat(registered.event).isEqualTo("node.registered");
        assertThat((String) JsonPath.read(registered.data, "$.node_id")).isEqualTo(node.id());
        assertThat((String) JsonPath.read(registered.data, "$.node_name")).isEqualTo("gpu-1");
        assertThat((String) JsonPath.read(registered.data, "$.status")).isEqualTo("online");
        assertThat((String) JsonPath.read(registered.data, "$.type")).isEqualTo("node.registered");
        assertThat(registered.data).doesNotContain("token");

        Frame added = stream.nextEvent();
        assertThat(added.event).isEqualTo("rule.added");
        assertThat((String) JsonPath.read(added.data, "$.rule_id")).isEqualTo(ruleId);
        assertThat((String) JsonPath.read(added.data, "$.match")).isEqualTo("gpu:true");
        assertThat((Integer) JsonPath.read(added.data, "$.position")).isZero();

        assertThat(stream.nextEvent().event).isEqualTo("rule.removed");
        Frame removed = stream.nextEvent();
        assertThat(removed.event).isEqualTo("node.removed");
        assertThat((String) JsonPath.read(removed.data, "$.detail")).isEqualTo("removed by the operator");

        assertThat(List.of(registered.id, added.id, removed.id)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void eventsShouldReportAFailedMessageWithoutItsContent() throws Exception {
        OpenStream stream = open(ApiFixtures.OPERATOR_TOKEN, null);

        assertThat(post(ApiFixtures.OPERATOR_TOKEN, ROUTE, ApiFixtures.route("a secret question")))
                .hasStatus(503);

        Frame failed = stream.nextEvent();
        assertThat(failed.event).isEqualTo("message.failed");
        assertThat((String) JsonPath.read(failed.data, "$.outcome")).isEqualTo("no-route");
        assertThat((String) JsonPath.read(failed.data, "$.message_id")).startsWith("msg-");
        assertThat(failed.data).doesNotContain("a secret question").doesNotContain("\"content\"");
    }

    @Test
    void eventsWhenLastEventIdGivenShouldReplayWhatTheClientMissed() throws Exception {
        OpenStream first = open(ApiFixtures.OPERATOR_TOKEN, null);
        register("a", "127.0.0.1:19121");
        Frame seen = first.nextEvent();
        first.close();
        register("b", "127.0.0.1:19122");
        register("c", "127.0.0.1:19123");

        OpenStream again = open(ApiFixtures.OPERATOR_TOKEN, seen.id);

        assertThat(List.of(again.nextEvent(), again.nextEvent()))
                .extracting((frame) -> (String) JsonPath.read(frame.data, "$.node_name"))
                .containsExactly("b", "c");
    }

    @Test
    void eventsWhenIdleShouldSendKeepAliveComments() throws Exception {
        OpenStream stream = open(ApiFixtures.OPERATOR_TOKEN, null);

        assertThat(stream.nextLineMatching(": keep-alive")).isTrue();
    }

    @Test
    void eventsWhenClientHangsUpShouldEndItsSubscription() throws Exception {
        // Streams of earlier tests end when the server next writes to them (a keep-alive after at most 300 ms).
        awaitSubscribers(0);
        OpenStream stream = open(ApiFixtures.OPERATOR_TOKEN, null);
        assertThat(this.eventStream.subscriberCount()).isEqualTo(1);

        stream.close();

        awaitSubscribers(0);
    }

    @Test
    void eventsWithoutOperatorTokenShouldBeRefused() throws Exception {
        assertProblem(get(null, "/api/v1/events"), 401, "unauthorized");
        assertProblem(get(ApiFixtures.JOIN_TOKEN, "/api/v1/events"), 403, "forbidden");
    }

    @Test
    void eventsWhenLastEventIdIsNotANumberShouldSayWhatIsExpected() {
        String detail = assertProblem(
                authorized(this.mvc.get().uri("/api/v1/events"), ApiFixtures.OPERATOR_TOKEN)
                        .header("Last-Event-ID", "yesterday")
                        .exchange(),
                400,
                "invalid-input");

        assertThat(detail).contains("Last-Event-ID").contains("yesterday");
    }

    private void awaitSubscribers(int expected) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(this.eventStream.subscriberCount()).isEqualTo(expected));
    }

    private OpenStream open(String token, @Nullable Long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + this.port + "/api/v1/events"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        HttpResponse<Stream<String>> response = this.http.send(request.build(), BodyHandlers.ofLines());
        OpenStream stream = new OpenStream(response);
        this.streams.add(stream);
        // The stream starts with a retry hint and a comment; once they arrive the subscription is in place.
        assertThat(stream.nextLineMatching(": connected")).isTrue();
        return stream;
    }

    /** One SSE frame. */
    record Frame(long id, String event, String data) {}

    /** A stream read line by line on its own thread. */
    static final class OpenStream {

        final HttpResponse<Stream<String>> response;

        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        final Thread reader;

        OpenStream(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try {
                    response.body().forEach(this.lines::add);
                } catch (RuntimeException ex) {
                    // closed
                }
            });
        }

        boolean nextLineMatching(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
                if (expected.equals(line)) {
                    return true;
                }
            }
            return false;
        }

        Frame nextEvent() throws InterruptedException {
            Long id = null;
            String event = null;
            String data = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null || line.startsWith(":") || line.startsWith("retry:")) {
                    continue;
                }
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && id != null && event != null && data != null) {
                    return new Frame(id, event, data);
                }
            }
            throw new AssertionError("no complete event within 10 s");
        }

        void close() {
            this.response.body().close();
            this.reader.interrupt();
        }
    }
}
