package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.common.task.TaskDelta;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.coordinator.registry.Node;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one streamed route to its HTTP response as server-sent events, on the request's own (virtual) thread:
 * {@code started {node_id, node_name}} when a node accepted the message (as in task streams, so a client can name the
 * node before the reply), {@code delta {text}} as the node produces it, then
 * {@code done {message_id, node_id, node_name, response}}, or an
 * {@code error} event holding the problem when the message fails after a node accepted it. Nothing is written before a
 * node accepted the message, so a failure before that (no route, unknown node, every node refused) leaves the response
 * untouched for the usual problem answer. Every event is flushed as it is written.
 */
final class RouteStreamWriter implements ReplyListener {

    private static final Logger logger = LoggerFactory.getLogger(RouteStreamWriter.class);

    private final HttpServletRequest request;

    private final HttpServletResponse response;

    private final JsonMapper json;

    private boolean started;

    RouteStreamWriter(HttpServletRequest request, HttpServletResponse response, JsonMapper json) {
        this.request = request;
        this.response = response;
        this.json = json;
    }

    /**
     * Routes with {@code route}, which gets this writer as its listener, and writes the stream.
     *
     * @throws RuntimeException what {@code route} threw before a node accepted the message, for the problem handler
     */
    void write(Function<ReplyListener, RouteResponse> route) {
        RouteResponse answer;
        try {
            answer = route.apply(this);
        } catch (ClientGoneException ex) {
            return; // logged by the forwarder; no one is left to write to
        } catch (RuntimeException ex) {
            if (!this.started) {
                throw ex;
            }
            writeQuietly(TaskEventTypes.ERROR, problem(ex));
            return;
        }
        writeQuietly(TaskEventTypes.DONE, answer);
    }

    @Override
    public void started(Node node) throws IOException {
        this.started = true;
        this.response.setStatus(HttpServletResponse.SC_OK);
        this.response.setContentType(TaskEventTypes.EVENT_STREAM + ";charset=UTF-8");
        this.response.setHeader("X-Accel-Buffering", "no");
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("node_id", node.id());
        accepted.put("node_name", node.name());
        // out now: the client knows which node has its message before the first piece arrives
        event(TaskEventTypes.STARTED, accepted);
    }

    @Override
    public void delta(String text) throws IOException {
        event(TaskEventTypes.DELTA, new TaskDelta(text));
    }

    private void event(String type, Object data) throws IOException {
        OutputStream out = this.response.getOutputStream();
        out.write(("event: " + type + "\ndata: " + this.json.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The final event; a client that has gone by then misses nothing it could act on. */
    private void writeQuietly(String type, Object data) {
        try {
            event(type, data);
        } catch (IOException ex) {
            logger.debug("Could not write the {} event of a streamed route: the client has gone ({})", type, ex);
        }
    }

    /** The problem the problem handler would have answered, as the data of an {@code error} event. */
    private Map<String, Object> problem(RuntimeException ex) {
        ProblemDetail problem;
        String messageId = null;
        if (ex instanceof ForwardingFailedException failed) {
            problem = Problems.of(ProblemType.FORWARDING_FAILED, failed.getMessage());
            messageId = failed.messageId();
        } else if (ex instanceof ForwardingTimeoutException timeout) {
            problem = Problems.of(ProblemType.FORWARDING_TIMEOUT, timeout.getMessage());
            messageId = timeout.messageId();
        } else {
            logger.error("Unexpected error in a streamed route", ex);
            problem = Problems.of(
                    ProblemType.INTERNAL_ERROR, "the coordinator failed unexpectedly; its log has the details");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", problem.getType().toString());
        data.put("title", problem.getTitle());
        data.put("status", problem.getStatus());
        data.put("detail", problem.getDetail());
        data.put("instance", this.request.getRequestURI());
        if (messageId != null) {
            data.put("message_id", messageId);
        }
        return data;
    }
}
