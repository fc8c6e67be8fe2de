package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.web.JsonBodyReader;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.common.task.AgentTaskView;
import io.clawmesh.common.task.TaskEventTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's task API (ADR 0008), for the coordinator only (the delivery credential, as for messages): {@code POST
 * /api/v1/tasks} starts or attaches, {@code GET /api/v1/tasks/{id}} shows, {@code GET /api/v1/tasks/{id}/events}
 * streams and {@code DELETE /api/v1/tasks/{id}} cancels. Failures are thrown and answered as problems by {@link
 * AgentHttpServer}.
 */
final class TaskEndpoints {

    private final DeliveryAuthenticator authenticator;

    private final RegistrationState state;

    private final LocalNode localNode;

    private final AgentTasks tasks;

    private final JsonBodyReader bodies;

    private final JsonResponses responses;

    private final JsonMapper json;

    private final Duration keepAlive;

    TaskEndpoints(
            RegistrationState state,
            LocalNode localNode,
            AgentTasks tasks,
            JsonMapper json,
            JsonResponses responses,
            Duration keepAlive) {
        this.authenticator = new DeliveryAuthenticator(state);
        this.state = state;
        this.localNode = localNode;
        this.tasks = tasks;
        this.bodies = new JsonBodyReader(json);
        this.responses = responses;
        this.json = json;
        this.keepAlive = keepAlive;
    }

    /** {@code POST /api/v1/tasks}: 202 (started) or 200 (attached) with the task, or its event stream when asked. */
    void submit(HttpExchange exchange) throws IOException {
        String nodeId = authenticate(exchange);
        AgentTaskRequest request = this.bodies.read(exchange, AgentTaskRequest.class);
        AgentTasks.Admission admission = this.tasks.submit(request);
        if (wantsEventStream(exchange)) {
            // Last-Event-ID means something only to a client that attaches to a run it saw before
            String lastEventId =
                    admission.started() ? null : exchange.getRequestHeaders().getFirst("Last-Event-ID");
            stream(exchange, admission.task(), nodeId, lastEventId);
            return;
        }
        this.responses.send(exchange, admission.started() ? 202 : 200, view(admission.task(), nodeId));
    }

    /** {@code GET /api/v1/tasks/{id}}: the task's status, text so far and error. */
    void show(HttpExchange exchange) throws IOException {
        String nodeId = authenticate(exchange);
        AgentTask task = known(exchange);
        this.responses.send(exchange, 200, view(task, nodeId));
    }

    /** {@code GET /api/v1/tasks/{id}/events}: the task's event stream after {@code Last-Event-ID}. */
    void events(HttpExchange exchange) throws IOException {
        String nodeId = authenticate(exchange);
        stream(exchange, known(exchange), nodeId, exchange.getRequestHeaders().getFirst("Last-Event-ID"));
    }

    /** {@code DELETE /api/v1/tasks/{id}}: 202 with the task, now canceled, while its run is being aborted. */
    void cancel(HttpExchange exchange) throws IOException {
        String nodeId = authenticate(exchange);
        AgentTask task = this.tasks.cancel(pathId(exchange));
        this.responses.send(exchange, 202, view(task, nodeId));
    }

    private void stream(HttpExchange exchange, AgentTask task, String nodeId, @Nullable String lastEventId)
            throws IOException {
        TaskEventStream stream = TaskEventStream.after(task, lastEventId, this.keepAlive);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Type", TaskEventTypes.EVENT_STREAM);
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        try {
            stream.writeTo(new EventStreamWriter(exchange, this.json), nodeId, this.localNode.name());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private String authenticate(HttpExchange exchange) {
        this.authenticator.check(exchange.getRequestHeaders().getFirst("Authorization"));
        return this.state.identity().map(NodeIdentity::nodeId).orElseThrow(NotRegisteredException::new);
    }

    private AgentTask known(HttpExchange exchange) {
        String id = pathId(exchange);
        return this.tasks.find(id).orElseThrow(() -> new TaskNotFoundException(id));
    }

    private static String pathId(HttpExchange exchange) {
        String id = AgentHttpServer.pathVariable(exchange, "id");
        if (!AgentTasks.TASK_ID.matcher(id).matches()) {
            throw new InvalidInputException(
                    "A task id is 1 to 100 characters of A-Z a-z 0-9 . _ : -" + ", starting with a letter or digit");
        }
        return id;
    }

    private static AgentTaskView view(AgentTask task, String nodeId) {
        AgentTask.Progress progress = task.progress();
        return new AgentTaskView(task.id(), nodeId, progress.status(), progress.text(), progress.error());
    }

    /** Whether the client asked for server-sent events ({@code Accept: text/event-stream}). */
    static boolean wantsEventStream(HttpExchange exchange) {
        List<String> accept = exchange.getRequestHeaders().get("Accept");
        return accept != null
                && accept.stream()
                        .anyMatch((value) -> value.toLowerCase(Locale.ROOT).contains(TaskEventTypes.EVENT_STREAM));
    }
}
