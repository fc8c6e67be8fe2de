package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.task.TaskDelta;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.coordinator.forwarding.EventStreamReader.Event;
import io.clawmesh.coordinator.forwarding.EventStreamReader.LimitExceededException;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.registry.Node;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays the event stream of a node that accepted a message to a {@link ReplyListener}: {@code delta {text}} events
 * as they arrive, then the {@code done} answer or the {@code error} problem. The node has the message by then, so
 * every failure here is final; and however the stream ends, its connection is dropped rather than drained, so that a
 * node that goes on sending cannot hold the forwarding thread.
 */
final class ReplyStreamRelay {

    /** A stream carries the reply twice (the deltas, then the final answer), each JSON-escaped, and some framing. */
    private static final long MAX_STREAM_BYTES = 2L * NodeClient.MAX_REPLY_BYTES + 64 * 1024;

    private final JsonMapper json;

    ReplyStreamRelay(JsonMapper json) {
        this.json = json;
    }

    /**
     * Passes the stream's pieces on until its final event.
     *
     * @return the node's answer; its response equals the pieces passed on, concatenated
     * @throws AgentAnswerException when the stream fails, breaks off, goes quiet too long or is too large
     * @throws ClientGoneException when the listener's client went away
     */
    AgentMessageResponse relay(Node node, InputStream body, ReplyListener listener) {
        EventStreamReader reader = new EventStreamReader(body, NodeClient.MAX_REPLY_BYTES, MAX_STREAM_BYTES);
        StringBuilder text = new StringBuilder();
        try {
            for (Event event = reader.next(); event != null; event = reader.next()) {
                switch (event.type()) {
                    case TaskEventTypes.DELTA -> {
                        String piece = deltaText(node, event.data());
                        if (!piece.isEmpty()) {
                            text.append(piece);
                            notify(body, () -> listener.delta(piece));
                        }
                    }
                    case TaskEventTypes.DONE -> {
                        return done(node, event.data(), text, body, listener);
                    }
                    case TaskEventTypes.ERROR -> throw streamedProblem(node, event.data());
                    default -> {
                        // other events (a "started", keep-alives sent as events) carry no text
                    }
                }
            }
            throw new AgentAnswerException(
                    Kind.REJECTED, node.name() + " accepted the message but its stream ended without an answer");
        } catch (SocketTimeoutException ex) {
            throw new AgentAnswerException(
                    Kind.TIMED_OUT,
                    node.name() + " accepted the message but its stream sent nothing for longer than"
                            + " mesh.forwarding.timeout");
        } catch (LimitExceededException ex) {
            throw new AgentAnswerException(
                    Kind.REJECTED,
                    node.name() + " accepted the message but its stream is too large: " + ex.getMessage());
        } catch (IOException ex) {
            throw new AgentAnswerException(
                    Kind.REJECTED,
                    node.name() + " accepted the message but its stream broke off: "
                            + PrintableText.escape(String.valueOf(ex.getMessage())));
        } finally {
            abort(body);
        }
    }

    private String deltaText(Node node, String data) {
        try {
            TaskDelta delta = this.json.readValue(data, TaskDelta.class);
            if (delta != null && delta.text() != null) {
                return delta.text();
            }
        } catch (JacksonException ex) {
            throw unreadable(node, TaskEventTypes.DELTA, ex);
        }
        throw new AgentAnswerException(Kind.REJECTED, node.name() + " streamed a delta without text");
    }

    /**
     * The final answer. Its response must continue the streamed text: what the deltas left out is passed on as one
     * last piece, so that the pieces concatenated equal the response; an answer that contradicts them is refused.
     */
    private AgentMessageResponse done(
            Node node, String data, StringBuilder text, InputStream body, ReplyListener listener) {
        AgentMessageResponse answer;
        try {
            answer = this.json.readValue(data, AgentMessageResponse.class);
        } catch (JacksonException ex) {
            throw unreadable(node, TaskEventTypes.DONE, ex);
        }
        if (answer == null || answer.response() == null) {
            throw new AgentAnswerException(Kind.REJECTED, node.name() + " ended its stream without a response");
        }
        String response = answer.response();
        if (!response.startsWith(text.toString())) {
            throw new AgentAnswerException(
                    Kind.REJECTED,
                    node.name() + " ended its stream with a response that differs from the text it streamed");
        }
        if (response.length() > text.length()) {
            String rest = response.substring(text.length());
            notify(body, () -> listener.delta(rest));
        }
        return answer;
    }

    /** The node's {@code error} event: the message failed on it after it was accepted. */
    private AgentAnswerException streamedProblem(Node node, String data) {
        int status = 0;
        try {
            status = this.json.readTree(data).path("status").asInt(0);
        } catch (RuntimeException ex) {
            // the status stays unknown; the failure is final all the same
        }
        return new AgentAnswerException(
                (status == 504) ? Kind.TIMED_OUT : Kind.REJECTED,
                node.name() + " accepted the message and then failed" + ((status != 0) ? " (" + status + ")" : "")
                        + NodeClient.problemDetail(this.json, data));
    }

    private static AgentAnswerException unreadable(Node node, String type, JacksonException ex) {
        return new AgentAnswerException(
                Kind.REJECTED,
                node.name() + " streamed a " + type + " event that cannot be read: "
                        + PrintableText.escape(String.valueOf(ex.getOriginalMessage())));
    }

    /** Calls the listener; when its client has gone, drops the node's stream and says so. */
    static void notify(InputStream body, ListenerCall call) {
        try {
            call.run();
        } catch (IOException ex) {
            abort(body);
            throw new ClientGoneException(ex);
        }
    }

    /** Drops the connection instead of reading the rest of the body, which a node may never end. */
    static void abort(InputStream body) {
        if (body instanceof EofSensorInputStream stream) {
            try {
                stream.abort();
            } catch (IOException ex) {
                // the connection is gone either way
            }
        }
    }

    /** A call to a {@link ReplyListener}. */
    @FunctionalInterface
    interface ListenerCall {

        void run() throws IOException;
    }
}
