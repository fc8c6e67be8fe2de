package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one task's event stream (ADR 0008) to a client as server-sent events: what the task's row says happened,
 * after the client's {@code Last-Event-ID}, then the live updates of its run until its final event. Text the client
 * missed (a resume, a replay after the end) comes as one {@code delta}, so the deltas it receives always add up to the
 * response.
 */
@Component
public class TaskEventWriter {

    private static final Logger logger = LoggerFactory.getLogger(TaskEventWriter.class);

    private final TaskBoard board;

    private final TaskEventHub hub;

    private final TaskProperties properties;

    private final JsonMapper json;

    public TaskEventWriter(TaskBoard board, TaskEventHub hub, TaskProperties properties, JsonMapper json) {
        this.board = board;
        this.hub = hub;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Streams a task's events until it ends or the client goes.
     *
     * @throws TaskNotFoundException before anything is written
     * @throws io.clawmesh.common.node.InvalidInputException for a {@code Last-Event-ID} this stream never gives
     */
    public void write(String taskId, @Nullable String lastEventId, HttpServletResponse response) throws IOException {
        TaskBoard.requireTaskId(taskId);
        TaskEventPosition from = TaskEventPosition.parse(lastEventId);
        // subscribe before reading the row: nothing that happens in between is missed, duplicates are skipped
        try (TaskEventHub.Subscription subscription = this.hub.subscribe(taskId)) {
            Task task = this.board.find(taskId);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache, no-store");
            response.setHeader("X-Accel-Buffering", "no");
            Stream stream = new Stream(response.getOutputStream(), from);
            stream.raw(": task " + taskId + "\n\n");
            if (stream.replay(task, subscription.text())) {
                stream.flush();
                return;
            }
            stream.flush();
            while (true) {
                TaskUpdate update = subscription.next(this.properties.keepAlive());
                if (update == null) {
                    // a task followed by another replica ends there: its row says so (ADR 0013)
                    Task now = this.board.find(taskId);
                    if (now.status().finished()) {
                        stream.replay(now, "");
                        stream.flush();
                        return;
                    }
                    stream.raw(": keep-alive\n\n");
                } else if (update instanceof TaskUpdate.Closed) {
                    return;
                } else if (stream.live(update)) {
                    stream.flush();
                    return;
                }
                stream.flush();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (IOException ex) {
            logger.trace("Task event stream client gone: {}", ex.getMessage());
        }
    }

    /** One client's stream and where it is. */
    private final class Stream {

        private final OutputStream out;

        private int stage;

        private int attempt;

        private long offset;

        Stream(OutputStream out, TaskEventPosition from) {
            this.out = out;
            this.stage = from.stage();
            this.attempt = from.attempt();
            this.offset = from.offset();
        }

        /** Writes what the row says; answers whether the task has ended (the stream is complete). */
        boolean replay(Task task, String liveText) throws IOException {
            queued(task);
            if (task.nodeId() != null && task.nodeName() != null && task.status() != TaskStatus.QUEUED) {
                assigned(task.nodeId(), task.nodeName(), Math.max(1, task.attempts()));
            }
            if (task.startedAt() != null && task.nodeId() != null && task.nodeName() != null) {
                started(task.nodeId(), task.nodeName());
            }
            if (task.status() == TaskStatus.RUNNING && !liveText.isEmpty()) {
                delta(liveText.length(), liveText);
            }
            if (task.status().finished()) {
                ended(task.status(), task.response(), task.error());
                return true;
            }
            return false;
        }

        /** Writes a live update; answers whether the task has ended. */
        boolean live(TaskUpdate update) throws IOException {
            switch (update) {
                case TaskUpdate.Assigned assigned ->
                    assigned(assigned.nodeId(), assigned.nodeName(), assigned.attempt());
                case TaskUpdate.Started started -> started(started.nodeId(), started.nodeName());
                case TaskUpdate.Delta delta -> delta(delta.end(), delta.text());
                case TaskUpdate.Ended ended -> {
                    ended(ended.status(), ended.response(), ended.error());
                    return true;
                }
                case TaskUpdate.Closed closed -> {
                    return true;
                }
            }
            return false;
        }

        private void queued(Task task) throws IOException {
            if (this.stage < TaskEventPosition.QUEUED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("task_id", task.id());
                data.put("priority", task.priority());
                event("q", TaskEventTypes.QUEUED, data);
                this.stage = TaskEventPosition.QUEUED;
            }
        }

        private void assigned(String nodeId, String nodeName, int newAttempt) throws IOException {
            if (this.stage < TaskEventPosition.ASSIGNED
                    || (this.stage == TaskEventPosition.ASSIGNED && newAttempt > this.attempt)) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("node_id", nodeId);
                data.put("node_name", nodeName);
                data.put("attempt", newAttempt);
                event("a" + newAttempt, TaskEventTypes.ASSIGNED, data);
                this.stage = TaskEventPosition.ASSIGNED;
                this.attempt = newAttempt;
            }
        }

        private void started(String nodeId, String nodeName) throws IOException {
            if (this.stage < TaskEventPosition.STARTED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("node_id", nodeId);
                data.put("node_name", nodeName);
                event("s", TaskEventTypes.STARTED, data);
                this.stage = TaskEventPosition.STARTED;
            }
        }

        private void delta(long end, String text) throws IOException {
            if (this.stage >= TaskEventPosition.ENDED || end <= this.offset) {
                return;
            }
            long start = end - text.length();
            String fresh = text.substring((int) Math.max(0, Math.min(text.length(), this.offset - start)));
            if (fresh.isEmpty()) {
                return;
            }
            event("d" + end, TaskEventTypes.DELTA, Map.of("text", fresh));
            this.offset = end;
            this.stage = TaskEventPosition.TEXT;
        }

        private void ended(TaskStatus status, @Nullable String response, @Nullable String error) throws IOException {
            if (this.stage >= TaskEventPosition.ENDED) {
                return;
            }
            if (status == TaskStatus.SUCCEEDED && response != null) {
                delta(response.length(), response);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (status == TaskStatus.SUCCEEDED) {
                data.put("response", (response != null) ? response : "");
            } else {
                data.put("error", (error != null) ? error : status.wireName());
            }
            event("end", status.eventName(), data);
            this.stage = TaskEventPosition.ENDED;
        }

        private void event(String id, String name, Object data) throws IOException {
            raw("id: " + id + "\nevent: " + name + "\ndata: " + TaskEventWriter.this.json.writeValueAsString(data)
                    + "\n\n");
        }

        void raw(String text) throws IOException {
            this.out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        void flush() throws IOException {
            this.out.flush();
        }
    }
}
