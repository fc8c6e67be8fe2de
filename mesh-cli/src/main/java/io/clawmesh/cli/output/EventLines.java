package io.clawmesh.cli.output;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/** One line per live event for {@code watch}: time, type, then what happened in words. */
public final class EventLines {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private EventLines() {}

    /** The event's line, with every control character escaped: names and details can come from nodes. */
    public static String of(MeshEventView event) {
        return Untrusted.cell(
                TIME.format(event.time()) + "  " + String.format("%-20s", event.type()) + "  " + describe(event));
    }

    static String describe(MeshEventView event) {
        String node = node(event);
        String text = switch (event.type()) {
            case MeshEventTypes.NODE_REGISTERED -> node + " registered" + suffix(" as ", event.status());
            case MeshEventTypes.NODE_STATUS_CHANGED ->
                node + " " + orDash(event.previousStatus()) + " -> " + orDash(event.status());
            case MeshEventTypes.NODE_REMOVED -> node + " removed";
            case MeshEventTypes.RULE_ADDED ->
                "rule " + orDash(event.ruleId()) + " " + orDash(event.match()) + suffix(" -> ", event.target())
                        + suffix(" at #", event.position());
            case MeshEventTypes.RULE_REMOVED -> "rule " + orDash(event.ruleId()) + " removed";
            case MeshEventTypes.RULE_MOVED ->
                "rule " + orDash(event.ruleId()) + " moved" + suffix(" to #", event.position());
            case MeshEventTypes.MESSAGE_ROUTED ->
                "message " + orDash(event.messageId()) + " -> " + node
                        + suffix(" in ", event.latencyMs()) + ((event.latencyMs() != null) ? "ms" : "")
                        + attempts(event.attempts());
            case MeshEventTypes.MESSAGE_FAILED ->
                "message " + orDash(event.messageId()) + " " + ((event.outcome() != null) ? event.outcome() : "failed")
                        + attempts(event.attempts());
            default -> node;
        };
        return text + suffix(": ", event.detail());
    }

    private static String node(MeshEventView event) {
        if (event.nodeName() == null && event.nodeId() == null) {
            return "-";
        }
        if (event.nodeName() == null) {
            return event.nodeId();
        }
        return event.nodeName() + ((event.nodeId() != null) ? " (" + event.nodeId() + ")" : "");
    }

    private static String attempts(@Nullable Integer attempts) {
        return (attempts != null && attempts > 1) ? " after " + attempts + " attempts" : "";
    }

    private static String suffix(String prefix, @Nullable Object value) {
        return (value != null) ? prefix + value : "";
    }

    private static String orDash(@Nullable String value) {
        return (value != null) ? value : "-";
    }
}
