package io.clawmesh.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of the live stream, as the {@code data:} line of a server-sent event carries it (the SSE {@code id:} is
 * {@link #id()}, the SSE {@code event:} name is {@link #type()}). Fields that do not apply to a type are left out of
 * the JSON. Never carries a token; carries message content only when the coordinator is configured to.
 *
 * @param id increasing number of the event on the coordinator that sent it; a client that reconnects sends the last
 *     one it saw as {@code Last-Event-ID} and gets what it missed, as far as the replay buffer reaches
 * @param type one of the constants of {@link MeshEventTypes}
 * @param time when it happened
 * @param nodeId the node concerned (node events; the answering node of message events)
 * @param nodeName that node's name
 * @param status the node's status after the change (node events)
 * @param previousStatus the node's status before the change ({@code node.status_changed})
 * @param ruleId the rule concerned (rule events)
 * @param match the rule's match as {@code route add --match} takes it (rule events)
 * @param target the rule's target node name, if any (rule events)
 * @param position the rule's zero-based position after the change ({@code rule.added}, {@code rule.moved})
 * @param messageId the routed message (message events)
 * @param outcome {@code routed}, {@code failed}, {@code timed-out} or {@code no-route} (message events)
 * @param latencyMs end-to-end time of the message in milliseconds (message events)
 * @param attempts how many nodes were tried (message events)
 * @param detail the reason of a change or a failure, for people
 * @param content the message content, only when the coordinator is configured to include it
 * @param taskId the task concerned (task events)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshEventView(
        long id,
        String type,
        Instant time,
        @JsonProperty("node_id") @Nullable String nodeId,
        @JsonProperty("node_name") @Nullable String nodeName,
        @Nullable String status,
        @JsonProperty("previous_status") @Nullable String previousStatus,
        @JsonProperty("rule_id") @Nullable String ruleId,
        @Nullable String match,
        @Nullable String target,
        @Nullable Integer position,
        @JsonProperty("message_id") @Nullable String messageId,
        @Nullable String outcome,
        @JsonProperty("latency_ms") @Nullable Long latencyMs,
        @Nullable Integer attempts,
        @Nullable String detail,
        @Nullable String content,
        @JsonProperty("task_id") @Nullable String taskId) {

    /** A node event ({@code node.registered}, {@code node.status_changed}, {@code node.removed}). */
    public static MeshEventView ofNode(
            long id,
            String type,
            Instant time,
            @Nullable String nodeId,
            @Nullable String nodeName,
            @Nullable String status,
            @Nullable String previousStatus,
            @Nullable String detail) {
        return new MeshEventView(
                id,
                type,
                time,
                nodeId,
                nodeName,
                status,
                previousStatus,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                detail,
                null,
                null);
    }

    /** A rule event ({@code rule.added}, {@code rule.removed}, {@code rule.moved}). */
    public static MeshEventView ofRule(
            long id,
            String type,
            Instant time,
            String ruleId,
            @Nullable String match,
            @Nullable String target,
            @Nullable Integer position) {
        return new MeshEventView(
                id, type, time, null, null, null, null, ruleId, match, target, position, null, null, null, null, null,
                null, null);
    }

    /** A message event ({@code message.routed}, {@code message.failed}). */
    public static MeshEventView ofMessage(
            long id,
            String type,
            Instant time,
            @Nullable String nodeId,
            @Nullable String nodeName,
            @Nullable String ruleId,
            String messageId,
            String outcome,
            long latencyMs,
            int attempts,
            @Nullable String detail,
            @Nullable String content) {
        return new MeshEventView(
                id, type, time, nodeId, nodeName, null, null, ruleId, null, null, null, messageId, outcome, latencyMs,
                attempts, detail, content, null);
    }

    /**
     * A task event ({@code task.queued}, {@code task.started}, {@code task.finished}).
     *
     * @param status the task's status after the change
     */
    public static MeshEventView ofTask(
            long id,
            String type,
            Instant time,
            String taskId,
            String status,
            @Nullable String nodeId,
            @Nullable String nodeName,
            @Nullable Integer attempts,
            @Nullable String detail) {
        return new MeshEventView(
                id, type, time, nodeId, nodeName, status, null, null, null, null, null, null, null, null, attempts,
                detail, null, taskId);
    }

    /** The same event under another id (the stream numbers events as it sends them). */
    public MeshEventView withId(long newId) {
        return new MeshEventView(
                newId,
                this.type,
                this.time,
                this.nodeId,
                this.nodeName,
                this.status,
                this.previousStatus,
                this.ruleId,
                this.match,
                this.target,
                this.position,
                this.messageId,
                this.outcome,
                this.latencyMs,
                this.attempts,
                this.detail,
                this.content,
                this.taskId);
    }
}
