package io.clawmesh.agent.inbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskDelta;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A task's event stream as ADR 0008 defines it: {@code started} (id {@code 0}), {@code delta {text}} events whose id
 * is the text's length after them, then one final event (id {@code end}). {@code Last-Event-ID} resumes: after
 * {@code 0} or a delta id the missing text comes as one delta, after {@code end} only the final event is repeated.
 * Deltas are cut from the task's text, so several runtime pieces that arrived together go out as one.
 */
final class TaskEventStream {

    /** The id of the final event. */
    static final String END = "end";

    private static final Pattern OFFSET = Pattern.compile("[0-9]{1,10}");

    private final AgentTask task;

    private final Duration keepAlive;

    private final boolean started;

    private final int offset;

    private final boolean ended;

    private TaskEventStream(AgentTask task, Duration keepAlive, boolean started, int offset, boolean ended) {
        this.task = task;
        this.keepAlive = keepAlive;
        this.started = started;
        this.offset = offset;
        this.ended = ended;
    }

    /**
     * The stream of {@code task} after the event {@code lastEventId} (from the start when {@code null}).
     *
     * @param keepAlive how long the stream may stay silent before a comment line checks the connection
     * @throws InvalidInputException when {@code lastEventId} is no id of this stream: not {@code 0}, a delta id or
     *     {@code end}, longer than the text, or {@code end} while the task still runs
     */
    static TaskEventStream after(AgentTask task, @Nullable String lastEventId, Duration keepAlive) {
        if (lastEventId == null) {
            return new TaskEventStream(task, keepAlive, false, 0, false);
        }
        String id = lastEventId.strip();
        AgentTask.Progress now = task.progress();
        if (id.equals(END)) {
            if (!now.status().finished()) {
                throw new InvalidInputException("Last-Event-ID 'end' names the final event, but the task still runs");
            }
            return new TaskEventStream(task, keepAlive, true, now.length(), true);
        }
        if (!OFFSET.matcher(id).matches() || Long.parseLong(id) > now.length()) {
            throw new InvalidInputException(
                    "Last-Event-ID must be an id this stream sent: 0 (started), the number of a " + "delta (at most "
                            + now.length() + " so far) or end; send no Last-Event-ID to replay it all");
        }
        return new TaskEventStream(task, keepAlive, true, Integer.parseInt(id), false);
    }

    /** Writes the stream until the final event, waiting for the task as it runs. */
    void writeTo(EventStreamWriter events, String nodeId, String nodeName) throws IOException, InterruptedException {
        if (this.started) {
            events.open();
        } else {
            // the headers and started go out together: the coordinator waits for both before anything else
            events.openWith("0", TaskEventTypes.STARTED, new Started(this.task.id(), nodeId, nodeName));
        }
        int sent = this.offset;
        while (true) {
            AgentTask.Progress progress =
                    this.ended ? this.task.progressFrom(sent) : this.task.awaitBeyond(sent, this.keepAlive);
            if (!this.ended && !progress.text().isEmpty()) {
                sent = progress.length();
                events.event(String.valueOf(sent), TaskEventTypes.DELTA, new TaskDelta(progress.text()));
            }
            if (progress.status().finished()) {
                // with the stream's end, so that the coordinator can reuse the connection for its next task
                events.last(END, progress.status().eventName(), finalData(progress));
                return;
            }
            if (progress.text().isEmpty()) {
                events.comment("keep-alive");
            }
        }
    }

    private static Map<String, String> finalData(AgentTask.Progress progress) {
        if (progress.status() == TaskStatus.SUCCEEDED) {
            return Map.of("response", String.valueOf(progress.response()));
        }
        return Map.of("error", String.valueOf(progress.error()));
    }

    /** Data of the {@code started} event. */
    record Started(
            @JsonProperty("task_id") String taskId,
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("node_name") String nodeName) {}
}
