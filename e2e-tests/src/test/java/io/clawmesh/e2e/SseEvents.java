package io.clawmesh.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a server-sent event stream as a real client does: line by line as it arrives, each event with the moment it
 * was read, until one of the final event names or the end of the stream.
 */
final class SseEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One event: its name, id, data parsed as JSON, and when it was read (System.nanoTime). */
    record Event(String name, @Nullable String id, JsonNode data, long readAtNanos) {

        String text(String field) {
            return this.data.path(field).asString("");
        }
    }

    /** The answer to a request for a stream: its status, and the events when the status is 200. */
    record Stream(int status, String contentType, List<Event> events, String errorBody) {

        List<String> names() {
            return this.events.stream().map(Event::name).toList();
        }

        String deltas() {
            StringBuilder text = new StringBuilder();
            this.events.stream().filter((e) -> e.name().equals("delta")).forEach((e) -> text.append(e.text("text")));
            return text.toString();
        }

        Event last() {
            return this.events.getLast();
        }

        Event first(String name) {
            return this.events.stream()
                    .filter((e) -> e.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + name + "' event in " + names()));
        }
    }

    private SseEvents() {}

    /** GETs a stream and reads it to one of {@code finalNames}. */
    static Stream get(String url, String token, Map<String, String> headers, Set<String> finalNames)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(2))
                .GET();
        headers.forEach(request::header);
        return read(request.build(), finalNames);
    }

    /** POSTs JSON asking for a stream and reads it to one of {@code finalNames}. */
    static Stream post(String url, String token, String jsonBody, Set<String> finalNames)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        return read(request, finalNames);
    }

    private static Stream read(HttpRequest request, Set<String> finalNames) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200 || !contentType.startsWith("text/event-stream")) {
                return new Stream(
                        response.statusCode(),
                        contentType,
                        List.of(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            List<Event> events = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        Event event = new Event(
                                (name != null) ? name : "message",
                                id,
                                JSON.readTree(data.toString()),
                                System.nanoTime());
                        events.add(event);
                        if (finalNames.contains(event.name())) {
                            break;
                        }
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
            return new Stream(200, contentType, events, "");
        }
    }
}
