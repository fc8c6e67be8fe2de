package io.clawmesh.agent.inbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads server-sent events off a response body, one at a time, skipping comments. */
final class EventStreamReader implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BufferedReader lines;

    EventStreamReader(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, {@code null} at the end of the stream. */
    @Nullable
    Event next() {
        String id = null;
        String name = null;
        String data = null;
        try {
            String line;
            while ((line = this.lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null) {
                        return new Event(id, name, JSON.readTree(data));
                    }
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            return null;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Every event up to the end of the stream. */
    List<Event> rest() {
        List<Event> events = new ArrayList<>();
        Event event;
        while ((event = next()) != null) {
            events.add(event);
        }
        return events;
    }

    @Override
    public void close() throws IOException {
        this.lines.close();
    }

    record Event(@Nullable String id, String name, JsonNode data) {

        String text(String field) {
            return this.data.get(field).asString();
        }
    }
}
