package io.clawmesh.cli.output;

import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.task.TaskEventTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Reads the data of task and route stream events (ADR 0008) and writes their lines for people: a status line per
 * {@code queued}, {@code assigned} and {@code started}, {@code routed to node NAME (ID)}, and for {@code --output json}
 * one {@code {"event", "id", "data"}} object per line. Everything from the stream is escaped before it is printed.
 */
public final class TaskEvents {

    private static final JsonMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TaskEvents() {}

    /** The event's data as JSON; data that is not a JSON object reads as an empty object. */
    public static JsonNode data(String data) {
        try {
            JsonNode node = LENIENT.readTree(data);
            return (node != null && node.isObject()) ? node : MissingNode.getInstance();
        } catch (RuntimeException ex) {
            return MissingNode.getInstance();
        }
    }

    /** A body read into a record, tolerating fields a newer coordinator adds. */
    public static <T> T read(String body, Class<T> type) {
        try {
            return LENIENT.readValue(body, type);
        } catch (RuntimeException ex) {
            throw new CliException(
                    ExitCode.REFUSED,
                    "the coordinator answered with something unreadable: "
                            + Untrusted.cell(String.valueOf(ex.getMessage()))
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
        }
    }

    /** A text field of the data, or empty. */
    public static String text(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isString() ? value.asString() : "";
    }

    /** A text field of the data, or {@code null}. */
    public static @Nullable String textOrNull(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isString() ? value.asString() : null;
    }

    /** {@code routed to node NAME (ID)}, with the id alone when the name is missing. */
    public static String routedTo(JsonNode data) {
        return "routed to node " + node(data);
    }

    /**
     * The status line of a {@code queued}, {@code assigned} or {@code started} event, or {@code null} for any other
     * event.
     */
    public static @Nullable String statusLine(String event, JsonNode data) {
        return switch (event) {
            case TaskEventTypes.QUEUED ->
                "queued"
                        + (data.path("priority").isNumber()
                                ? " (priority " + data.path("priority").asInt() + ")"
                                : "");
            case TaskEventTypes.ASSIGNED ->
                "assigned to node " + node(data)
                        + (data.path("attempt").isNumber()
                                ? ", attempt " + data.path("attempt").asInt()
                                : "");
            case TaskEventTypes.STARTED -> "started on node " + node(data);
            default -> null;
        };
    }

    /** The event as one JSON line: {@code {"event", "id", "data"}}, the data as received (or as a string). */
    public static String jsonLine(String event, @Nullable String id, String rawData, JsonNode data) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("id", id);
        line.put("data", data.isMissingNode() ? rawData : data);
        return Json.line(line);
    }

    private static String node(JsonNode data) {
        String id = textOrNull(data, "node_id");
        String name = textOrNull(data, "node_name");
        if (name == null) {
            return Untrusted.cell((id != null) ? id : "?");
        }
        return Untrusted.cell(name) + ((id != null) ? " (" + Untrusted.cell(id) + ")" : "");
    }
}
