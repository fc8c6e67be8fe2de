package io.clawmesh.coordinator.openai;

import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.forwarding.ClientGoneException;
import io.clawmesh.coordinator.forwarding.ForwardingFailedException;
import io.clawmesh.coordinator.forwarding.ForwardingTimeoutException;
import io.clawmesh.coordinator.forwarding.ReplyListener;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.security.ProblemWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a streamed chat completion as OpenAI does: server-sent {@code data:} lines of {@code chat.completion.chunk}
 * objects, the first with the assistant role, then one per piece the node streams, a last one with
 * {@code finish_reason: "stop"}, then {@code data: [DONE]}. Nothing is written before a node accepted the message, so
 * an earlier failure is an ordinary error answer; a failure after that is written as one {@code data:} line holding
 * OpenAI's error object. A client that goes away makes the next write fail, which closes the node's stream and so
 * aborts the run ({@link ClientGoneException}).
 */
final class ChatStreamWriter implements ReplyListener {

    private static final Logger logger = LoggerFactory.getLogger(ChatStreamWriter.class);

    private final HttpServletResponse response;

    private final JsonMapper json;

    private final String id;

    private final long created;

    private final String model;

    private boolean started;

    ChatStreamWriter(HttpServletResponse response, JsonMapper json, String id, long created, String model) {
        this.response = response;
        this.json = json;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /**
     * Routes with {@code route}, which gets this writer as its listener, and writes the stream.
     *
     * @throws RuntimeException what {@code route} threw before a node accepted the message, for the error answer
     */
    void write(Function<ReplyListener, RouteResponse> route) {
        try {
            route.apply(this);
        } catch (ClientGoneException ex) {
            return; // logged by the forwarder; the node's stream is closed, so the run is aborted
        } catch (RuntimeException ex) {
            if (!this.started) {
                throw ex;
            }
            writeQuietly(this.json.writeValueAsString(ProblemWriter.openAiError(problem(ex))));
            writeQuietly("[DONE]");
            return;
        }
        writeQuietly(this.json.writeValueAsString(
                ChatCompletion.chunk(this.id, this.created, this.model, new ChatCompletion.Delta(null, null), "stop")));
        writeQuietly("[DONE]");
    }

    @Override
    public void started(Node node) throws IOException {
        this.started = true;
        this.response.setStatus(HttpServletResponse.SC_OK);
        this.response.setContentType("text/event-stream;charset=UTF-8");
        this.response.setHeader("Cache-Control", "no-cache");
        this.response.setHeader("X-Accel-Buffering", "no");
        data(this.json.writeValueAsString(ChatCompletion.chunk(
                this.id, this.created, this.model, new ChatCompletion.Delta("assistant", ""), null)));
    }

    @Override
    public void delta(String text) throws IOException {
        data(this.json.writeValueAsString(
                ChatCompletion.chunk(this.id, this.created, this.model, new ChatCompletion.Delta(null, text), null)));
    }

    private void data(String data) throws IOException {
        OutputStream out = this.response.getOutputStream();
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void writeQuietly(String data) {
        try {
            data(data);
        } catch (IOException ex) {
            logger.debug("Could not finish a streamed chat completion: the client has gone ({})", ex.toString());
        }
    }

    private static ProblemDetail problem(RuntimeException ex) {
        if (ex instanceof ForwardingFailedException failed) {
            return Problems.of(ProblemType.FORWARDING_FAILED, failed.getMessage());
        }
        if (ex instanceof ForwardingTimeoutException timeout) {
            return Problems.of(ProblemType.FORWARDING_TIMEOUT, timeout.getMessage());
        }
        logger.error("Unexpected error in a streamed chat completion", ex);
        return Problems.of(ProblemType.INTERNAL_ERROR, "the coordinator failed unexpectedly; its log has the details");
    }
}
