package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import io.clawmesh.common.task.TaskEventTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes server-sent events onto one exchange: {@link #open()} answers 200 {@code text/event-stream} (chunked), then
 * every event is written as {@code id:}, {@code event:} and one JSON {@code data:} line and flushed at once. Not
 * thread-safe: one thread writes a stream.
 */
final class EventStreamWriter {

    private final HttpExchange exchange;

    private final JsonMapper json;

    private @Nullable OutputStream out;

    EventStreamWriter(HttpExchange exchange, JsonMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    /** Sends the status line and headers; from now on a failure can only be told inside the stream. */
    void open() throws IOException {
        if (this.out != null) {
            return;
        }
        OutputStream body = openUnflushed();
        // the JDK server keeps the headers in its buffer until the first flush: the client must know at once
        body.flush();
    }

    /**
     * Sends the status line and headers together with a first event, in one write: a client that waits for the
     * status line gets its first event in the same packet instead of a second one right after.
     */
    void openWith(@Nullable String id, String name, Object data) throws IOException {
        if (this.out == null) {
            openUnflushed();
        }
        event(id, name, data);
    }

    /**
     * Writes a final event and ends the stream (the chunked body's end) in one write, so that the client reads the
     * end together with the event and can reuse the connection at once. Nothing may be written after it.
     */
    void last(@Nullable String id, String name, Object data) throws IOException {
        open();
        OutputStream stream = this.out;
        if (stream != null) {
            stream.write(format(id, name, data).getBytes(StandardCharsets.UTF_8));
            // closing the JDK server's chunked stream writes the pending chunk and the last one with one flush
            stream.close();
        }
    }

    private OutputStream openUnflushed() throws IOException {
        this.exchange.getResponseHeaders().set("Content-Type", TaskEventTypes.EVENT_STREAM);
        this.exchange.getResponseHeaders().set("Cache-Control", "no-store");
        // tells a buffering proxy (nginx) to pass events on as they come
        this.exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        this.exchange.sendResponseHeaders(200, 0);
        OutputStream body = this.exchange.getResponseBody();
        this.out = body;
        return body;
    }

    boolean opened() {
        return this.out != null;
    }

    /** Writes one event; {@code id} may be {@code null} for streams that cannot be resumed. */
    void event(@Nullable String id, String name, Object data) throws IOException {
        write(format(id, name, data));
    }

    private String format(@Nullable String id, String name, Object data) {
        StringBuilder event = new StringBuilder();
        if (id != null) {
            event.append("id: ").append(id).append('\n');
        }
        // JSON never holds a raw line break, so the data is always one line
        event.append("event: ").append(name).append('\n');
        event.append("data: ").append(this.json.writeValueAsString(data)).append("\n\n");
        return event.toString();
    }

    /** Writes a comment line, which clients ignore: keeps idle connections open and finds ones the client left. */
    void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    private void write(String text) throws IOException {
        open();
        OutputStream stream = this.out;
        if (stream != null) {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        }
    }
}
