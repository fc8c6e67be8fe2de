package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One line of the activity log: an event of the live stream, told in words.
 *
 * @param kind {@code node}, {@code rule}, {@code message} or {@code task}, for the icon
 * @param reference the id of the rule, message or task concerned
 * @param badge a status or outcome to show as a badge, with {@code badgeClass} as its CSS class
 * @param content the message content, present only when the coordinator is configured to include it in events
 */
record ActivityEntry(
        long id,
        String type,
        String kind,
        String time,
        String ago,
        String title,
        @Nullable String reference,
        @Nullable String detail,
        @Nullable String nodeId,
        @Nullable String badge,
        @Nullable String badgeClass,
        @Nullable String content) {

    static ActivityEntry of(MeshEventView event, Instant now) {
        String node = (event.nodeName() != null) ? event.nodeName() : event.nodeId();
        String title;
        String reference = null;
        String badge = null;
        switch (event.type()) {
            case MeshEventTypes.NODE_REGISTERED -> {
                title = "Node " + node + " joined";
                badge = event.status();
            }
            case MeshEventTypes.NODE_STATUS_CHANGED -> {
                title = "Node " + node + " went from " + event.previousStatus() + " to " + event.status();
                badge = event.status();
            }
            case MeshEventTypes.NODE_REMOVED -> title = "Node " + node + " was removed";
            case MeshEventTypes.RULE_ADDED -> {
                title = "Rule added at position " + position(event) + ": " + rule(event);
                reference = event.ruleId();
            }
            case MeshEventTypes.RULE_REMOVED -> {
                title = "Rule removed: " + rule(event);
                reference = event.ruleId();
            }
            case MeshEventTypes.RULE_MOVED -> {
                title = "Rule moved to position " + position(event) + ": " + rule(event);
                reference = event.ruleId();
            }
            case MeshEventTypes.MESSAGE_ROUTED, MeshEventTypes.MESSAGE_FAILED -> {
                title = message(event, node);
                reference = event.messageId();
                badge = event.outcome();
            }
            case MeshEventTypes.TASK_QUEUED -> {
                title = "Task queued";
                reference = event.taskId();
                badge = event.status();
            }
            case MeshEventTypes.TASK_STARTED -> {
                title = "Task started on " + node;
                reference = event.taskId();
                badge = event.status();
            }
            case MeshEventTypes.TASK_FINISHED -> {
                title = "Task ended" + ((node != null) ? " on " + node : "");
                reference = event.taskId();
                badge = event.status();
            }
            default -> title = event.type();
        }
        String badgeClass = null;
        if (badge != null) {
            badgeClass = (event.type().startsWith("message.") ? "outcome-" : "status-") + badge.replace('_', '-');
        }
        return new ActivityEntry(
                event.id(),
                event.type(),
                event.type().substring(0, event.type().indexOf('.')),
                event.time().toString(),
                RelativeTime.ago(event.time(), now),
                title,
                reference,
                event.detail(),
                event.nodeId(),
                badge,
                badgeClass,
                event.content());
    }

    private static String message(MeshEventView event, @Nullable String node) {
        boolean routed = MeshEventTypes.MESSAGE_ROUTED.equals(event.type());
        StringBuilder title = new StringBuilder(routed ? "Answered by " + node : "Not delivered");
        if (!routed && node != null) {
            title.append(" (last tried ").append(node).append(')');
        }
        if (event.latencyMs() != null && (routed || event.latencyMs() > 0)) {
            title.append(routed ? " in " : " after ").append(event.latencyMs()).append(" ms");
        }
        if (event.attempts() != null && event.attempts() > 1) {
            title.append(", ").append(event.attempts()).append(" tries");
        }
        return title.toString();
    }

    private static String rule(MeshEventView event) {
        return (event.match() != null ? event.match() : "") + ((event.target() != null) ? " → " + event.target() : "");
    }

    private static String position(MeshEventView event) {
        // The stream counts from 0 as the API does; people count from 1, as the rules page does.
        return (event.position() != null) ? String.valueOf(event.position() + 1) : "?";
    }
}
