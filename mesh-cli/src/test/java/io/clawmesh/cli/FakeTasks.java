package io.clawmesh.cli;

import com.sun.net.httpserver.HttpExchange;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.json.StrictJson;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's task API (SPEC §16, ADR 0008) on a {@link FakeCoordinator}: submit with {@code Idempotency-Key},
 * list with filters and an opaque cursor, show, cancel (404, 409) and each task's event stream with the ids of
 * ADR 0008 ({@code q}, {@code a<n>}, {@code s}, {@code d<offset>}, {@code end}) and {@code Last-Event-ID} resume, where
 * the missing text comes as one delta. Every call needs the operator token, as on the coordinator.
 */
final class FakeTasks {

    private static final JsonMapper JSON = StrictJson.configure(JsonMapper.builder())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One event of a script: SSE id, event name and JSON data. */
    record Event(String id, String name, String data) {}

    private final Map<String, TaskView> tasks = Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    private final Map<String, List<Event>> scripts = new ConcurrentHashMap<>();

    private final Map<String, Integer> dropAfter = new ConcurrentHashMap<>();

    private final Map<String, String> keys = new ConcurrentHashMap<>();

    private final List<TaskRequest> submitted = new CopyOnWriteArrayList<>();

    private final AtomicInteger sequence = new AtomicInteger();

    /** Delay the events of a stream ask to reconnect after: short, so resume tests do not wait a second. */
    private final int retryMillis = 20;

    FakeTasks(FakeCoordinator coordinator) {
        coordinator.answer("POST", ApiPaths.TASKS, this::submit);
        coordinator.answer("GET", ApiPaths.TASKS, this::list);
        coordinator.answerPrefix("GET", ApiPaths.TASKS + "/", this::getOrEvents);
        coordinator.answerPrefix("DELETE", ApiPaths.TASKS + "/", this::cancel);
    }

    /** Adds a task as the coordinator would show it. */
    FakeTasks add(TaskView task) {
        this.tasks.put(task.taskId(), task);
        return this;
    }

    /** The events {@code GET /api/v1/tasks/{id}/events} answers with; the stream ends after them. */
    FakeTasks script(String id, Event... events) {
        this.scripts.put(id, List.of(events));
        return this;
    }

    /** The first connection to the task's stream drops after {@code count} events, without its end. */
    FakeTasks dropFirstConnectionAfter(String id, int count) {
        this.dropAfter.put(id, count);
        return this;
    }

    List<TaskRequest> submitted() {
        return List.copyOf(this.submitted);
    }

    static TaskView task(String id, TaskStatus status, @Nullable String node, Instant created) {
        boolean started = status != TaskStatus.QUEUED && status != TaskStatus.ASSIGNED;
        return new TaskView(
                id,
                status,
                (node != null) ? "node-" + node : null,
                node,
                (node != null) ? 1 : 0,
                5,
                created,
                started ? created.plusSeconds(2) : null,
                status.finished() ? created.plusSeconds(65) : null,
                (status == TaskStatus.SUCCEEDED) ? "done" : null,
                (status == TaskStatus.FAILED) ? "runtime failed" : null);
    }

    /** The usual life of a task on node {@code node}: queued, assigned, started, a delta per piece, then {@code end}. */
    static Event[] life(String node, Event end, String... pieces) {
        List<Event> events = new ArrayList<>();
        events.add(new Event("q", TaskEventTypes.QUEUED, "{\"task_id\":\"t\",\"priority\":5}"));
        String ids = "\"node_id\":" + quote("node-" + node) + ",\"node_name\":" + quote(node);
        events.add(new Event("a1", TaskEventTypes.ASSIGNED, "{" + ids + ",\"attempt\":1}"));
        events.add(new Event("s", TaskEventTypes.STARTED, "{" + ids + "}"));
        int offset = 0;
        for (String piece : pieces) {
            offset += piece.length();
            events.add(new Event("d" + offset, TaskEventTypes.DELTA, "{\"text\":" + quote(piece) + "}"));
        }
        events.add(end);
        return events.toArray(Event[]::new);
    }

    static Event succeeded(String response) {
        return new Event("end", TaskEventTypes.SUCCEEDED, "{\"response\":" + quote(response) + "}");
    }

    static Event ended(String status, String error) {
        return new Event("end", status, "{\"error\":" + quote(error) + "}");
    }

    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private boolean authorized(HttpExchange exchange, FakeCoordinator.Request request) throws IOException {
        if (("Bearer " + FakeCoordinator.TOKEN).equals(request.header("Authorization"))) {
            return true;
        }
        // a node's token is known but may not do this (403); anything else is no operator token (401)
        ProblemType type = ("Bearer node-token".equals(request.header("Authorization")))
                ? ProblemType.FORBIDDEN
                : ProblemType.UNAUTHORIZED;
        problem(exchange, type, type.status().value(), "not the operator token");
        return false;
    }

    private void submit(HttpExchange exchange, FakeCoordinator.Request request) throws IOException {
        if (!authorized(exchange, request)) {
            return;
        }
        TaskRequest body;
        try {
            body = JSON.readValue(request.body(), TaskRequest.class);
        } catch (RuntimeException ex) {
            problem(exchange, ProblemType.INVALID_INPUT, 400, "unreadable task: " + ex.getMessage());
            return;
        }
        if (body.content() == null || body.content().isBlank()) {
            problem(exchange, ProblemType.INVALID_INPUT, 400, "content is required");
            return;
        }
        String key = request.header(ApiPaths.IDEMPOTENCY_KEY_HEADER);
        if (key != null && this.keys.containsKey(key)) {
            String[] known = this.keys.get(key).split(" ", 2);
            if (!known[1].equals(request.body())) {
                problem(exchange, ProblemType.INVALID_INPUT, 409, "idempotency key used with another body");
                return;
            }
            accepted(exchange, 200, known[0]);
            return;
        }
        this.submitted.add(body);
        String id = "task-" + this.sequence.incrementAndGet();
        add(new TaskView(
                id,
                TaskStatus.QUEUED,
                null,
                null,
                0,
                (body.priority() != null) ? body.priority() : 5,
                CliTestSupport.NOW,
                null,
                null,
                null,
                null));
        if (key != null) {
            this.keys.put(key, id + " " + request.body());
        }
        accepted(exchange, 202, id);
    }

    private void accepted(HttpExchange exchange, int status, String id) throws IOException {
        TaskAccepted answer = new TaskAccepted(
                id,
                TaskStatus.QUEUED,
                new TaskAccepted.Links(ApiPaths.TASKS + "/" + id, ApiPaths.TASKS + "/" + id + "/events"));
        FakeCoordinator.send(exchange, status, "application/json", JSON.writeValueAsString(answer));
    }

    /** Newest first (the order added, reversed); the cursor is the index of the next task, made opaque. */
    private void list(HttpExchange exchange, FakeCoordinator.Request request) throws IOException {
        if (!authorized(exchange, request)) {
            return;
        }
        Map<String, String> query = query(request.query());
        List<TaskView> all;
        synchronized (this.tasks) {
            all = new ArrayList<>(this.tasks.values());
        }
        Collections.reverse(all);
        List<TaskView> matching = all.stream()
                .filter((t) ->
                        !query.containsKey("status") || t.status().wireName().equals(query.get("status")))
                .filter((t) -> !query.containsKey("node")
                        || query.get("node").equals(t.nodeName())
                        || query.get("node").equals(t.nodeId()))
                .toList();
        int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        String cursor = query.get("cursor");
        // the cursor holds '+' and '/': a client that does not encode them sends another cursor
        if (cursor != null && !cursor.matches("c\\+/\\d+")) {
            problem(exchange, ProblemType.INVALID_INPUT, 400, "bad cursor");
            return;
        }
        int from = (cursor != null) ? Integer.parseInt(cursor.substring(3)) : 0;
        int to = Math.min(matching.size(), from + limit);
        TaskPage page = new TaskPage(matching.subList(from, to), (to < matching.size()) ? "c+/" + to : null);
        FakeCoordinator.send(exchange, 200, "application/json", JSON.writeValueAsString(page));
    }

    private void getOrEvents(HttpExchange exchange, FakeCoordinator.Request request) throws IOException {
        if (!authorized(exchange, request)) {
            return;
        }
        String rest = request.path().substring(ApiPaths.TASKS.length() + 1);
        boolean events = rest.endsWith("/events");
        String id = events ? rest.substring(0, rest.length() - "/events".length()) : rest;
        TaskView task = this.tasks.get(id);
        if (task == null) {
            problem(exchange, ProblemType.NOT_FOUND, 404, "no task " + id);
            return;
        }
        if (!events) {
            FakeCoordinator.send(exchange, 200, "application/json", JSON.writeValueAsString(task));
            return;
        }
        stream(exchange, id, request.header("Last-Event-ID"));
    }

    private void stream(HttpExchange exchange, String id, @Nullable String lastEventId) throws IOException {
        List<Event> script = this.scripts.getOrDefault(id, List.of());
        List<Event> rest = resume(script, lastEventId);
        Integer drop = this.dropAfter.remove(id);
        exchange.getResponseHeaders().set("Content-Type", TaskEventTypes.EVENT_STREAM);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(("retry: " + this.retryMillis + "\n\n").getBytes(StandardCharsets.UTF_8));
            int sent = 0;
            for (Event event : rest) {
                if (drop != null && sent == drop) {
                    return;
                }
                out.write(("id: " + event.id() + "\nevent: " + event.name() + "\ndata: " + event.data() + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                sent++;
            }
        }
    }

    /** The events after {@code lastEventId}; the deltas that follow it at once become one delta, as ADR 0008 says. */
    static List<Event> resume(List<Event> script, @Nullable String lastEventId) {
        int index = -1;
        for (int i = 0; lastEventId != null && i < script.size(); i++) {
            if (script.get(i).id().equals(lastEventId)) {
                index = i;
            }
        }
        List<Event> rest = new ArrayList<>(script.subList(index + 1, script.size()));
        if (index < 0 || rest.isEmpty() || !rest.get(0).name().equals(TaskEventTypes.DELTA)) {
            return rest;
        }
        StringBuilder text = new StringBuilder();
        String id = null;
        while (!rest.isEmpty() && rest.get(0).name().equals(TaskEventTypes.DELTA)) {
            Event delta = rest.remove(0);
            text.append(JSON.readTree(delta.data()).get("text").asString());
            id = delta.id();
        }
        rest.add(0, new Event(id, TaskEventTypes.DELTA, "{\"text\":" + quote(text.toString()) + "}"));
        return rest;
    }

    private void cancel(HttpExchange exchange, FakeCoordinator.Request request) throws IOException {
        if (!authorized(exchange, request)) {
            return;
        }
        String id = request.path().substring(ApiPaths.TASKS.length() + 1);
        TaskView task = this.tasks.get(id);
        if (task == null) {
            problem(exchange, ProblemType.NOT_FOUND, 404, "no task " + id);
            return;
        }
        if (task.status().finished()) {
            problem(
                    exchange,
                    ProblemType.INVALID_INPUT,
                    409,
                    "task " + id + " already " + task.status().wireName());
            return;
        }
        TaskStatus now = (task.status() == TaskStatus.QUEUED) ? TaskStatus.CANCELED : task.status();
        TaskView answer = new TaskView(
                id,
                now,
                task.nodeId(),
                task.nodeName(),
                task.attempts(),
                task.priority(),
                task.createdAt(),
                task.startedAt(),
                now.finished() ? CliTestSupport.NOW : null,
                null,
                now.finished() ? "canceled by the operator" : null);
        add(answer);
        FakeCoordinator.send(exchange, 202, "application/json", JSON.writeValueAsString(answer));
    }

    private static void problem(HttpExchange exchange, ProblemType type, int status, String detail) throws IOException {
        String body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
                + ",\"detail\":" + quote(detail) + "}";
        FakeCoordinator.send(exchange, status, ApiPaths.PROBLEM_JSON, body);
    }

    private static Map<String, String> query(@Nullable String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        return Arrays.stream(raw.split("&"))
                .map((pair) -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        (pair) -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        (pair) -> URLDecoder.decode((pair.length > 1) ? pair[1] : "", StandardCharsets.UTF_8)));
    }
}
