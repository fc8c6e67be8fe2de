package io.clawmesh.coordinator.events;

import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.events.EventStream.Subscription;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a subscription to an HTTP response as server-sent events, on the request's own (virtual) thread, until the
 * client goes away or the coordinator shuts down. Used by the API stream and the dashboard's stream.
 */
@Component
public class EventStreamWriter {

    private static final Logger logger = LoggerFactory.getLogger(EventStreamWriter.class);

    /** How long a browser waits before reconnecting, in milliseconds. */
    private static final int RETRY_MILLIS = 2000;

    private final EventStream stream;

    private final JsonMapper json;

    public EventStreamWriter(EventStream stream, JsonMapper json) {
        this.stream = stream;
        this.json = json;
    }

    /**
     * Streams events to the response until the client hangs up.
     *
     * @param lastEventId the id of the last event the client saw, if it is reconnecting
     * @throws TooManySubscribersException before anything is written, when no stream may be opened
     */
    public void write(@Nullable Long lastEventId, HttpServletResponse response) throws IOException {
        try (Subscription subscription = this.stream.subscribe(lastEventId)) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache, no-store");
            response.setHeader("X-Accel-Buffering", "no");
            OutputStream out = response.getOutputStream();
            write(out, "retry: " + RETRY_MILLIS + "\n: connected\n\n");
            for (MeshEventView event : subscription.replay()) {
                write(out, frame(event));
            }
            out.flush();
            while (true) {
                MeshEventView event = subscription.next(this.stream.keepAlive());
                write(out, (event != null) ? frame(event) : ": keep-alive\n\n");
                out.flush();
            }
        } catch (SubscriptionClosedException ex) {
            logger.debug("Event stream ended: {}", ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (IOException ex) {
            // The client went away; nothing to tell anyone.
            logger.trace("Event stream client gone: {}", ex.getMessage());
        }
    }

    /** One event as an SSE frame: {@code id}, {@code event} (the type) and the JSON {@code data} on one line. */
    String frame(MeshEventView event) {
        return "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + this.json.writeValueAsString(event)
                + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a {@code Last-Event-ID}; blank means none.
     *
     * @throws InvalidInputException when it is not the non-negative number of an event
     */
    public static @Nullable Long lastEventId(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException ex) {
            String shown = (value.length() <= 40) ? value : value.substring(0, 40) + "…";
            throw new InvalidInputException(
                    "Last-Event-ID must be the non-negative number of an event this stream sent, not '" + shown + "'");
        }
    }
}
