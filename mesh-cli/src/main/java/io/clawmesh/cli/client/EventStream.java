package io.clawmesh.cli.client;

import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;

/**
 * An open HTTP answer of the coordinator that is read as server-sent events (SSE, as the HTML standard parses them):
 * {@link #next()} returns one event at a time as it arrives. {@link #close()} may be called from another thread (Ctrl-C)
 * and ends a blocked {@link #next()}.
 */
public final class EventStream implements AutoCloseable {

    private final ConnectionSettings settings;

    private final Stream<String> body;

    private final Iterator<String> lines;

    private final @Nullable String contentType;

    private @Nullable Duration retry;

    private volatile boolean closed;

    private EventStream(ConnectionSettings settings, HttpResponse<Stream<String>> response) {
        this.settings = settings;
        this.body = response.body();
        this.lines = this.body.iterator();
        this.contentType = response.headers().firstValue("Content-Type").orElse(null);
    }

    /**
     * Sends the request and returns the open stream of a 2xx answer.
     *
     * @throws CliException unreachable (exit 3) when no answer came, or the problem of an error answer
     */
    static EventStream open(ConnectionSettings settings, HttpClient http, HttpRequest request) {
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException ex) {
            throw MeshErrors.unreachable(settings, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.REFUSED, "interrupted while connecting to " + settings.coordinator());
        }
        if (response.statusCode() / 100 != 2) {
            String text;
            try (Stream<String> lines = response.body()) {
                text = lines.limit(200).collect(Collectors.joining("\n"));
            } catch (UncheckedIOException ex) {
                text = "";
            }
            throw MeshErrors.refused(settings, HttpStatusCode.valueOf(response.statusCode()), text);
        }
        return new EventStream(settings, response);
    }

    /** Whether the answer is an event stream (else it is, say, a JSON body to read with {@link #remainingText()}). */
    public boolean isEventStream() {
        return this.contentType != null
                && this.contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    /** The reconnection delay the server asked for with {@code retry:}, if it did. */
    public @Nullable Duration retry() {
        return this.retry;
    }

    /**
     * The next event, or {@code null} when the stream ended (or was {@linkplain #close() closed}).
     *
     * @throws StreamBrokenException when the connection failed in the middle
     */
    public @Nullable ServerSentEvent next() {
        StringBuilder data = null;
        String event = null;
        String id = null;
        try {
            while (!this.closed && this.lines.hasNext()) {
                String line = this.lines.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        return new ServerSentEvent((event != null) ? event : "message", id, data.toString());
                    }
                    event = null;
                    id = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = (colon < 0) ? line : line.substring(0, colon);
                String value = (colon < 0) ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "data" ->
                        data = (data == null)
                                ? new StringBuilder(value)
                                : data.append('\n').append(value);
                    case "event" -> event = value;
                    case "id" -> id = value.contains("\0") ? id : value;
                    case "retry" ->
                        this.retry = value.matches("\\d{1,9}") ? Duration.ofMillis(Long.parseLong(value)) : this.retry;
                    default -> {
                        // unknown fields are ignored, as the standard says
                    }
                }
            }
        } catch (UncheckedIOException ex) {
            if (!this.closed) {
                throw new StreamBrokenException("the stream from " + this.settings.coordinator() + " broke off ("
                        + io.clawmesh.cli.support.Causes.rootMessage(ex) + ")");
            }
        } catch (RuntimeException ex) {
            if (!this.closed) {
                throw ex;
            }
        }
        // an event not ended by a blank line when the stream ends is dropped, as the standard says
        return null;
    }

    /** The rest of the body as text, for an answer that is not an event stream. */
    public String remainingText() {
        StringBuilder text = new StringBuilder();
        while (this.lines.hasNext()) {
            text.append(this.lines.next()).append('\n');
        }
        return text.toString();
    }

    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public void close() {
        this.closed = true;
        this.body.close();
    }

    /** The connection failed while the stream was being read; the caller may resume it. */
    public static final class StreamBrokenException extends CliException {

        public StreamBrokenException(String message) {
            super(ExitCode.REFUSED, message);
        }
    }
}
