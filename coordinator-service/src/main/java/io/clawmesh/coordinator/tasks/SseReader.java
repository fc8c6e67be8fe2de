package io.clawmesh.coordinator.tasks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events from a stream, one at a time, skipping comments (keep-alives). A line longer than the
 * limit ends the stream with an error: an agent must not be able to exhaust our memory.
 */
final class SseReader {

    private final Reader reader;

    private final int maxLineChars;

    private final StringBuilder line = new StringBuilder();

    private int pushedBack = -1;

    SseReader(InputStream body, int maxLineChars) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
        this.maxLineChars = maxLineChars;
    }

    /**
     * The next event.
     *
     * @return the event, or {@code null} when the stream ended cleanly
     * @throws IOException when the stream broke or a line is too long
     */
    @Nullable
    SseEvent next() throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return null;
            }
            if (text.isEmpty()) {
                if (data != null || name != null) {
                    return new SseEvent(id, (name != null) ? name : "message", (data != null) ? data.toString() : "");
                }
                continue;
            }
            if (text.startsWith(":")) {
                continue;
            }
            int colon = text.indexOf(':');
            String field = (colon < 0) ? text : text.substring(0, colon);
            String value = (colon < 0) ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" ->
                    data = (data == null)
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields are ignored, as the SSE specification says
                }
            }
        }
    }

    private @Nullable String readLine() throws IOException {
        this.line.setLength(0);
        while (true) {
            int c = (this.pushedBack >= 0) ? this.pushedBack : this.reader.read();
            this.pushedBack = -1;
            if (c < 0) {
                return this.line.isEmpty() ? null : this.line.toString();
            }
            if (c == '\n') {
                return this.line.toString();
            }
            if (c == '\r') {
                int after = this.reader.read();
                if (after != '\n' && after >= 0) {
                    this.pushedBack = after;
                }
                return this.line.toString();
            }
            if (this.line.length() >= this.maxLineChars) {
                throw new IOException("an event line is longer than " + this.maxLineChars + " characters");
            }
            this.line.append((char) c);
        }
    }
}
