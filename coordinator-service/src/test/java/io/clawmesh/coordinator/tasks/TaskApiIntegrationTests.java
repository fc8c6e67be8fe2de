package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Durable tasks over real HTTP, run by fake agents that speak the agent task API. */
class TaskApiIntegrationTests extends TaskIntegrationTestSupport {

    @Test
    void submitShouldRunTheTaskAndStreamDeltasThatAddUpToTheResponse() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("Hello", ", ", "world");
        String nodeId = node("alpha", agent, 4);

        HttpResponse<String> accepted = submit(body("say hello"));

        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(accepted.body());
        String id = answer.path("task_id").asString();
        assertThat(id).matches("task-[0-9a-f]{20}");
        assertThat(answer.path("links").path("events").asString()).isEqualTo(TASKS + "/" + id + "/events");
        assertThat(accepted.headers().firstValue("Location")).hasValue(TASKS + "/" + id);
        List<Sse> events = events(id, null);
        assertThat(events)
                .extracting(Sse::event)
                .startsWith("queued", "assigned", "started")
                .endsWith("succeeded");
        assertThat(events).extracting(Sse::id).startsWith("q", "a1", "s").endsWith("end");
        assertThat(Sse.text(events)).isEqualTo("Hello, world");
        JsonNode task = awaitStatus(id, TaskStatus.SUCCEEDED);
        assertThat(task.path("response").asString()).isEqualTo("Hello, world");
        assertThat(task.path("node_id").asString()).isEqualTo(nodeId);
        assertThat(task.path("node_name").asString()).isEqualTo("alpha");
        assertThat(task.path("attempts").asInt()).isOne();
        assertThat(task.path("priority").asInt()).isEqualTo(5);
        assertThat(task.path("started_at").isNull()).isFalse();
        assertThat(task.path("finished_at").isNull()).isFalse();
        assertThat(agent.count("POST " + TASKS)).isOne();
        assertThat(agent.content(id)).isEqualTo("say hello");
    }

    @Test
    void eventsWhenResumedShouldSendOnlyTheMissingTextAndTheEnd() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("Hello", ", ", "world");
        node("alpha", agent, 4);
        String id = submitted(body("say hello"));
        awaitStatus(id, TaskStatus.SUCCEEDED);

        List<Sse> resumed = events(id, "d5");
        List<Sse> afterEnd = events(id, "end");
        List<Sse> afterStart = events(id, "s");

        assertThat(resumed).extracting(Sse::event).containsExactly("delta", "succeeded");
        assertThat(resumed.getFirst().id()).isEqualTo("d12");
        assertThat(Sse.text(resumed)).isEqualTo(", world");
        assertThat(afterEnd).isEmpty();
        assertThat(Sse.text(afterStart)).isEqualTo("Hello, world");
        assertThat(resumed.getLast().data().path("response").asString()).isEqualTo("Hello, world");
    }

    @Test
    void eventsOfARunningTaskShouldArriveWhileItRunsAndEndWithIt() throws Exception {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("partial ", "text").holdAll(true);
        node("alpha", agent, 4);
        String id = submitted(body("think long"));
        awaitStatus(id, TaskStatus.RUNNING);

        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + this.port + TASKS + "/" + id + "/events"))
                                .header("Authorization", "Bearer " + OPERATOR)
                                .build(),
                        BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        Iterator<String> reader = stream.body().iterator();
        while (reader.hasNext()) {
            String line = reader.next();
            lines.add(line);
            if (line.equals("id: d12")) {
                // the text came while the task still runs: only now does the agent finish it
                assertThat(status(id)).isEqualTo("running");
                agent.release(id);
            }
        }

        List<Sse> events = Sse.parse(String.join("\n", lines));
        assertThat(events)
                .extracting(Sse::event)
                .containsExactly("queued", "assigned", "started", "delta", "succeeded");
        assertThat(Sse.text(events)).isEqualTo("partial text");
    }

    @Test
    void taskWhenEveryNodeIsAtCapacityShouldWaitAndRunWhenASlotFrees() {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true);
        node("alpha", agent, 1);
        String first = submitted(body("first"));
        awaitStatus(first, TaskStatus.RUNNING);

        String second = submitted(body("second"));

        assertThat(status(second)).isEqualTo("queued");
        assertThat(agent.status(second)).as("never sent while the node is full").isNull();
        agent.release(first);
        awaitStatus(first, TaskStatus.SUCCEEDED);
        awaitStatus(second, TaskStatus.RUNNING);
        agent.release(second);
        awaitStatus(second, TaskStatus.SUCCEEDED);
        assertThat(agent.count("POST " + TASKS)).isEqualTo(2);
    }

    @Test
    void taskWhenTheNodeAnswers429ShouldWaitInsteadOfFailing() {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true).capacity(1);
        node("alpha", agent, 4);
        String first = submitted(body("first"));
        awaitStatus(first, TaskStatus.RUNNING);

        String second = submitted(body("second"));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.count("POST " + TASKS) >= 2);
        // the agent counts the post before the coordinator reads its 429 and puts the task back
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> status(second).equals("queued"));
        agent.release(first);
        awaitStatus(second, TaskStatus.RUNNING);
        agent.release(second);
        JsonNode done = awaitStatus(second, TaskStatus.SUCCEEDED);
        assertThat(done.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void taskWhenTheNodeAnswers429ShouldBackOffBeforeTryingThatNodeAgain() throws InterruptedException {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true).capacity(1);
        node("alpha", agent, 4);
        String first = submitted(body("first"));
        awaitStatus(first, TaskStatus.RUNNING);

        String second = submitted(body("second"));
        String third = submitted(body("third"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.count("POST " + TASKS) >= 3);
        long before = agent.count("POST " + TASKS);
        long start = System.nanoTime();
        Thread.sleep(1000);
        long posts = agent.count("POST " + TASKS) - before;
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        // a run that got a 429 passes over the queue itself when it ends, but only after it set the node's backoff
        // (200 ms here): else the other waiting task goes to that node at once, gets a 429, and so on without a pause
        // (80 posts a second without it). With it, each of the two waiting tasks tries about once per backoff, 10 to
        // 23 posts a second as measured (a freed slot can end a backoff early); the bound, half the rate without the
        // backoff, follows the window's real length, which a loaded machine stretches past the second asked for.
        assertThat(posts).isLessThanOrEqualTo(40 * Math.max(1000, elapsedMillis) / 1000);
        agent.release(first);
        awaitStatus(second, TaskStatus.RUNNING);
        agent.release(second);
        awaitStatus(third, TaskStatus.RUNNING);
        agent.release(third);
        awaitStatus(third, TaskStatus.SUCCEEDED);
    }

    @Test
    void cancelWhenQueuedShouldEndItAtOnceAndNeverSendIt() {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true);
        node("alpha", agent, 1);
        String first = submitted(body("first"));
        awaitStatus(first, TaskStatus.RUNNING);
        String second = submitted(body("second"));

        HttpResponse<String> canceled = http("DELETE", OPERATOR, TASKS + "/" + second, null, Map.of());
        HttpResponse<String> again = http("DELETE", OPERATOR, TASKS + "/" + second, null, Map.of());

        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(canceled.body()).path("status").asString()).isEqualTo("canceled");
        assertProblem(again, 409, "task-finished");
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM audit_log WHERE action = 'task.cancel' AND target = ? AND actor_kind ="
                                + " 'operator'",
                        Integer.class,
                        second))
                .isEqualTo(1);
        agent.release(first);
        awaitStatus(first, TaskStatus.SUCCEEDED);
        assertThat(agent.status(second)).isNull();
        assertThat(this.queue.size()).isZero();
        List<Sse> events = events(second, null);
        assertThat(events).extracting(Sse::event).containsExactly("queued", "canceled");
    }

    @Test
    void cancelWhenRunningShouldAbortTheRunOnItsNode() {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true);
        node("alpha", agent, 2);
        String id = submitted(body("long work"));
        awaitStatus(id, TaskStatus.RUNNING);

        HttpResponse<String> canceled = http("DELETE", OPERATOR, TASKS + "/" + id, null, Map.of());

        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
        assertThat(JSON.readTree(canceled.body()).path("status").asString()).isEqualTo("canceled");
        assertThat(agent.count("DELETE " + TASKS + "/" + id)).isOne();
        assertThat(agent.status(id)).isEqualTo("canceled");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.runner.activeCount() == 0);
        assertThat(status(id)).isEqualTo("canceled");
    }

    @Test
    void taskPastItsTimeoutShouldEndTimedOut() {
        FakeTaskAgent agent = FakeTaskAgent.start().holdAll(true);
        node("alpha", agent, 2);

        String id = submitted(body("slow", "timeout", "2s"));

        JsonNode task = awaitStatus(id, TaskStatus.TIMED_OUT);
        assertThat(task.path("error").asString()).contains("time");
        assertThat(agent.status(id)).isIn("canceled", "timed_out");
    }

    @Test
    void queuedTaskPastItsTimeoutShouldEndTimedOutWithoutBeingSent() {
        String id = submitted(body("nobody runs this", "timeout", "PT1S"));

        awaitStatus(id, TaskStatus.TIMED_OUT);
        assertThat(this.queue.size()).isZero();
    }

    @Test
    void submitWithTheSameIdempotencyKeyShouldReturnTheSameTaskOr409ForAnotherBody() {
        Map<String, String> key = Map.of("Idempotency-Key", "key-1234");
        HttpResponse<String> first = submit(body("hello", "priority", 5), key);
        HttpResponse<String> same = submit(body("hello"), key);
        HttpResponse<String> other = submit(body("goodbye"), key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(same.body()).path("task_id").asString())
                .isEqualTo(JSON.readTree(first.body()).path("task_id").asString());
        assertThat(assertProblem(other, 409, "idempotency-conflict")).contains("Idempotency-Key");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class))
                .isOne();
    }

    @Test
    void submitWhenTheQueueIsFullShouldAnswer429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            submitted(body("waiting " + i));
        }

        HttpResponse<String> refused = submit(body("one too many"));

        assertThat(assertProblem(refused, 429, "queue-full")).contains("mesh.tasks.max-queued");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class))
                .isEqualTo(3);
    }

    @Test
    void taskWhenANodeRefusesItShouldFailOverToAnotherNode() {
        FakeTaskAgent down = FakeTaskAgent.start().refuseWith(503);
        FakeTaskAgent up = FakeTaskAgent.start();
        node("down", down, 4);
        node("up", up, 4);

        String first = submitted(body("hello", "target", "down"));
        String second = submitted(body("hello", "match", "gpu:true"));

        JsonNode failedOver = awaitStatus(second, TaskStatus.SUCCEEDED);
        assertThat(failedOver.path("node_name").asString()).isEqualTo("up");
        assertThat(status(first)).isIn("queued", "assigned");
        assertThat(up.status(first)).isNull();
    }

    @Test
    void taskWhoseStreamBreaksAfterAcceptanceShouldReattachAndFinishOnTheSameNode() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("one ", "two").breakStreams(1);
        node("alpha", agent, 4);

        String id = submitted(body("hello"));

        JsonNode task = awaitStatus(id, TaskStatus.SUCCEEDED);
        assertThat(task.path("response").asString()).isEqualTo("one two");
        assertThat(agent.count("POST " + TASKS)).isOne();
        assertThat(agent.count("GET " + TASKS + "/" + id + "/events")).isOne();
    }

    @Test
    void taskWhoseAgentRestartedMidRunShouldFailAtOnceSayingTheNodeLostIt() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("half ").holdAll(true);
        node("alpha", agent, 4);
        String id = submitted(body("hello"));
        awaitStatus(id, TaskStatus.RUNNING);

        FakeTaskAgent restarted = FakeTaskAgent.start(agent.crash());
        this.agents.add(restarted);

        JsonNode task = awaitStatus(id, TaskStatus.FAILED);
        assertThat(task.path("error").asString())
                .contains("the node lost the task")
                .contains("alpha does not know it");
        assertThat(restarted.count("GET " + TASKS + "/" + id + "/events"))
                .as("a 404 is final: not asked again")
                .isOne();
        assertThat(restarted.count("POST " + TASKS)).as("never started twice").isZero();
    }

    @Test
    void taskWhoseAgentDiedMidRunAndStaysDownShouldFailOnceItsReattachesAreRefused() {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("half ").holdAll(true);
        node("alpha", agent, 4);
        String id = submitted(body("hello"));
        awaitStatus(id, TaskStatus.RUNNING);

        agent.crash();

        JsonNode task = awaitStatus(id, TaskStatus.FAILED);
        assertThat(task.path("error").asString())
                .contains("lost the task's event stream on alpha and could not re-attach")
                .contains("connection refused");
    }

    @Test
    void listShouldPageNewestFirstWithAnOpaqueCursor() {
        String a = submitted(body("a"));
        String b = submitted(body("b"));
        String c = submitted(body("c"));

        JsonNode first = JSON.readTree(
                http("GET", OPERATOR, TASKS + "?limit=2", null, Map.of()).body());
        String cursor = first.path("next_cursor").asString();
        JsonNode second = JSON.readTree(http("GET", OPERATOR, TASKS + "?limit=2&cursor=" + cursor, null, Map.of())
                .body());
        JsonNode queued = JSON.readTree(
                http("GET", OPERATOR, TASKS + "?status=queued", null, Map.of()).body());

        assertThat(first.path("tasks").findValuesAsString("task_id")).containsExactly(c, b);
        assertThat(second.path("tasks").findValuesAsString("task_id")).containsExactly(a);
        assertThat(second.path("next_cursor").isNull()).isTrue();
        assertThat(queued.path("tasks").size()).isEqualTo(3);
    }
}
