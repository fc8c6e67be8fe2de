package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.forwarding.EventStreamReader.Event;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.FailoverCooldowns;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs tasks on nodes, one virtual thread per task: writes {@code assigned}, posts the task to the node, and relays
 * the node's event stream to the task's followers until its final event, which it writes. A node that does not take
 * the task sends it back to the queue (or fails it after too many refusals); after the node accepted it, the task is
 * never sent elsewhere: a broken stream is re-attached a bounded number of times, then the task fails.
 */
@Component
public class TaskRunner {

    private static final Logger logger = LoggerFactory.getLogger(TaskRunner.class);

    /** The most a response may hold: the size of its column. */
    static final int MAX_RESPONSE_CHARS = 1_000_000;

    /** A stream may stay silent this much longer than the task's own time before it counts as broken. */
    private static final Duration STREAM_GRACE = Duration.ofSeconds(30);

    private final TaskTransitions transitions;

    private final AgentTaskClient client;

    private final TaskRepository repository;

    private final TaskEventHub hub;

    private final TaskQueue queue;

    private final InflightTracker inflight;

    private final FailoverCooldowns cooldowns;

    private final DispatchSignal signal;

    private final TaskProperties properties;

    private final Clock clock;

    private final JsonMapper json;

    private final DatabaseRetry database;

    private final Map<String, Run> active = new ConcurrentHashMap<>();

    public TaskRunner(
            TaskTransitions transitions,
            AgentTaskClient client,
            TaskRepository repository,
            TaskEventHub hub,
            TaskQueue queue,
            InflightTracker inflight,
            FailoverCooldowns cooldowns,
            DispatchSignal signal,
            TaskProperties properties,
            Clock clock,
            JsonMapper json) {
        this.transitions = transitions;
        this.client = client;
        this.repository = repository;
        this.hub = hub;
        this.queue = queue;
        this.inflight = inflight;
        this.database = new DatabaseRetry(properties.databaseRetry());
        this.cooldowns = cooldowns;
        this.signal = signal;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
    }

    /** Sends a task the dispatcher took from the queue to {@code node}, whose slot the dispatcher already counted. */
    void launch(QueuedTask task, Node node) {
        Run run = new Run(task.id(), node, task.attempts() + 1, task.createdAt(), null);
        this.active.put(task.id(), run);
        Thread.ofVirtual().name("task-" + task.id()).start(() -> {
            try {
                send(run, task);
            } catch (RuntimeException ex) {
                logger.warn("Task {}: its run on {} failed unexpectedly", task.id(), node.name(), ex);
            } finally {
                end(run);
            }
        });
    }

    /**
     * Re-attaches to a task that {@code node} holds (recovery after a restart); counts its slot.
     *
     * @param task the row; {@code running} or {@code assigned}
     */
    void reattach(Task task, Node node) {
        this.inflight.increment(node.id());
        Run run = new Run(task.id(), node, Math.max(1, task.attempts()), task.createdAt(), task.startedAt());
        this.active.put(task.id(), run);
        Thread.ofVirtual().name("task-" + task.id()).start(() -> {
            try {
                follow(run, null, task.status() == TaskStatus.RUNNING, remaining(task.deadline()));
            } catch (RuntimeException ex) {
                logger.warn("Task {}: re-attaching to {} failed unexpectedly", task.id(), node.name(), ex);
            } finally {
                end(run);
            }
        });
    }

    /** The node a task is running on from this coordinator, if any. */
    Optional<Node> nodeOf(String taskId) {
        Run run = this.active.get(taskId);
        return (run != null) ? Optional.of(run.node) : Optional.empty();
    }

    /** Stops following a task that was ended by someone else (cancel, timeout): its stream is broken off. */
    void abandon(String taskId) {
        Run run = this.active.get(taskId);
        if (run != null) {
            run.abandoned = true;
            AgentTaskClient.EventStream stream = run.stream;
            if (stream != null) {
                stream.abort();
            }
        }
    }

    /**
     * Stops following every task (the coordinator stops): their streams are broken off and nothing more is written,
     * so the tasks stay {@code assigned} or {@code running} and the next start re-attaches to them.
     */
    void stopFollowing() {
        for (Run run : this.active.values()) {
            run.abandoned = true;
            AgentTaskClient.EventStream stream = run.stream;
            if (stream != null) {
                stream.abort();
            }
        }
    }

    /** How many runs are active; for tests. */
    int activeCount() {
        return this.active.size();
    }

    private void send(Run run, QueuedTask task) {
        Node node = run.node;
        if (!this.database.call(
                task.id(),
                "its assignment",
                () -> this.transitions.assign(task.id(), node.id(), node.name(), run.attempt))) {
            return;
        }
        String content = (task.content() != null)
                ? task.content()
                : this.database
                        .call(task.id(), "reading its content", () -> this.repository.findContent(task.id()))
                        .orElse(null);
        Duration remaining = remaining(task.deadline());
        if (content == null || remaining.isZero()) {
            finish(run, TaskStatus.ASSIGNED, TaskStatus.TIMED_OUT, null, "the task's timeout passed before it ran");
            return;
        }
        AgentTaskRequest request = new AgentTaskRequest(
                task.id(), content, task.source(), task.sessionKey(), task.createdAt(), remaining.toMillis());
        AgentTaskClient.EventStream stream;
        try {
            stream = submit(node, request, remaining);
        } catch (ForwardAttemptException ex) {
            refused(run, task, ex);
            return;
        }
        follow(run, stream, false, remaining);
    }

    /** A connection that broke before an answer leaves open whether the node took the task: posting it again is safe. */
    private AgentTaskClient.EventStream submit(Node node, AgentTaskRequest request, Duration remaining)
            throws ForwardAttemptException {
        try {
            return this.client.submit(node, request, remaining.plus(STREAM_GRACE));
        } catch (ForwardAttemptException ex) {
            if (ex.kind() != Kind.INTERRUPTED) {
                throw ex;
            }
            return this.client.submit(node, request, remaining.plus(STREAM_GRACE));
        }
    }

    private void refused(Run run, QueuedTask task, ForwardAttemptException ex) {
        String reason = ex.getMessage();
        switch (ex.kind()) {
            case FULL -> requeue(run, task, reason, false);
            case NOT_ACCEPTED, INTERRUPTED -> {
                this.cooldowns.coolDown(run.node.id());
                if (task.refusals() + 1 >= this.properties.maxNotAccepted()) {
                    finish(
                            run,
                            TaskStatus.ASSIGNED,
                            TaskStatus.FAILED,
                            null,
                            "nodes refused the task " + (task.refusals() + 1) + " times; the last: " + reason);
                } else {
                    requeue(run, task, reason, true);
                }
            }
            case REJECTED, TIMED_OUT -> finish(run, TaskStatus.ASSIGNED, TaskStatus.FAILED, null, reason);
        }
    }

    private void requeue(Run run, QueuedTask task, String reason, boolean refused) {
        logger.debug("Task {} not taken by {}: {}; back to the queue", task.id(), run.node.name(), reason);
        run.backoff = this.properties.nodeBackoff();
        if (this.database.call(
                task.id(), "its return to the queue", () -> this.transitions.requeue(task.id(), reason))) {
            run.requeued = task.afterAttempt(refused);
        }
    }

    /**
     * Reads a task's event stream to its end, re-attaching when it breaks.
     *
     * @param stream the stream the submission opened, or {@code null} to attach first
     * @param started whether the task is {@code running} already
     */
    private void follow(Run run, AgentTaskClient.@Nullable EventStream stream, boolean started, Duration readTimeout) {
        Relay relay = new Relay(run, started);
        int reattaches = 0;
        String problem = "the node's event stream ended before the task did";
        AgentTaskClient.EventStream current = stream;
        while (true) {
            if (current != null) {
                run.stream = current;
                try (AgentTaskClient.EventStream open = current) {
                    if (run.abandoned) {
                        return;
                    }
                    Event event;
                    while ((event = open.next()) != null) {
                        if (relay.handle(event)) {
                            if (relay.ended) {
                                // close() reads the stream's end, so its connection serves the node's next task
                                open.finalEventRead();
                            }
                            return;
                        }
                        reattaches = 0;
                    }
                    problem = "the node's event stream ended before the task did";
                } catch (IOException ex) {
                    problem = "the node's event stream broke: " + ex.getMessage();
                } finally {
                    run.stream = null;
                }
            }
            if (run.abandoned) {
                return;
            }
            if (++reattaches > this.properties.reattachAttempts()) {
                finish(
                        run,
                        relay.started ? TaskStatus.RUNNING : TaskStatus.ASSIGNED,
                        TaskStatus.FAILED,
                        null,
                        "lost the task's event stream on " + run.node.name() + " and could not re-attach: " + problem);
                return;
            }
            current = reattach(run, relay, readTimeout, reattaches);
            if (current == null && run.unknownOnNode && relay.started) {
                // the agent keeps tasks in memory: one that restarted has lost the run, and asking again cannot help
                finish(
                        run,
                        TaskStatus.RUNNING,
                        TaskStatus.FAILED,
                        null,
                        "the node lost the task: its node " + run.node.name() + " does not know it (restarted, or"
                                + " past its retention)");
                return;
            }
            if (current == null) {
                problem = run.lastProblem;
            }
        }
    }

    private AgentTaskClient.@Nullable EventStream reattach(Run run, Relay relay, Duration readTimeout, int attempt) {
        if (attempt > 1) {
            try {
                Thread.sleep(Math.min(2000, 200L * attempt));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        String lastEventId = relay.started ? String.valueOf(relay.length) : null;
        try {
            return this.client.events(run.node, run.taskId, lastEventId, readTimeout.plus(STREAM_GRACE));
        } catch (TaskUnknownOnNodeException ex) {
            run.unknownOnNode = true;
            run.lastProblem = ex.getMessage();
            return null;
        } catch (ForwardAttemptException ex) {
            run.lastProblem = ex.getMessage();
            return null;
        }
    }

    private boolean markRunning(Run run) {
        if (this.database.call(
                run.taskId,
                "its start",
                () -> this.transitions.start(run.taskId, run.node.id(), run.node.name(), run.attempt, run.createdAt))) {
            run.startedAt = this.clock.instant();
            return true;
        }
        Optional<Task> now =
                this.database.call(run.taskId, "reading its row", () -> this.repository.findById(run.taskId));
        if (now.isPresent() && now.get().status() == TaskStatus.RUNNING) {
            run.startedAt = now.get().startedAt();
            return true;
        }
        // canceled or timed out while it was on its way: the node must not go on with it
        this.client.cancel(run.node, run.taskId);
        return false;
    }

    private void finish(Run run, TaskStatus from, TaskStatus to, @Nullable String response, @Nullable String error) {
        this.database.call(
                run.taskId,
                "its final status",
                () -> this.transitions.finish(
                        run.taskId,
                        from,
                        to,
                        response,
                        error,
                        run.node.id(),
                        run.node.name(),
                        run.attempt,
                        run.startedAt));
    }

    private void end(Run run) {
        this.active.remove(run.taskId, run);
        this.hub.forget(run.taskId);
        boolean freedHere = freeSlot(run);
        // after the slot's release, which ends the node's backoff, and before the pass, which must see the new one
        if (run.backoff != null) {
            this.signal.backOff(run.node.id(), run.backoff);
        }
        if (run.requeued != null) {
            this.queue.add(run.requeued);
            this.signal.signal();
        }
        if (freedHere || run.requeued != null) {
            this.signal.slotFreedByRun();
        }
    }

    /**
     * Gives the run's slot on its node back, once: at its final event or when the run ends, whichever is first.
     *
     * @return whether this call gave it back
     */
    private boolean freeSlot(Run run) {
        if (run.slotFreed) {
            return false;
        }
        run.slotFreed = true;
        this.inflight.decrement(run.node.id());
        return true;
    }

    private Duration remaining(Instant deadline) {
        Duration remaining = Duration.between(this.clock.instant(), deadline);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private JsonNode data(Event event) {
        try {
            JsonNode node = this.json.readTree(event.data());
            return (node != null) ? node : this.json.createObjectNode();
        } catch (RuntimeException ex) {
            return this.json.createObjectNode();
        }
    }

    private static @Nullable String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return (value != null && value.isString()) ? value.asString() : null;
    }

    /** Turns one stream's events into task transitions and live updates. */
    private final class Relay {

        private final Run run;

        private boolean started;

        /** The node's final event was handled: its stream has nothing more but its end. */
        private boolean ended;

        /** The reply's length so far, in UTF-16 chars: what a re-attach resumes from. */
        private long length;

        Relay(Run run, boolean started) {
            this.run = run;
            this.started = started;
        }

        /** Handles one event; answers whether the run is over. */
        boolean handle(Event event) {
            String name = event.type();
            if (TaskEventTypes.STARTED.equals(name)) {
                return !ensureStarted();
            }
            if (TaskEventTypes.DELTA.equals(name)) {
                if (!ensureStarted()) {
                    return true;
                }
                delta(event);
                return false;
            }
            TaskStatus status = finalStatus(name);
            if (status == null) {
                return false;
            }
            if (!ensureStarted()) {
                return true;
            }
            this.ended = true;
            // the node's slot is free from its final event on (the agent frees it before sending it): the next task
            // leaves for it from this thread, while this one's final status is written
            freeSlot(this.run);
            TaskRunner.this.signal.slotFreedByRun();
            JsonNode data = data(event);
            String response = (status == TaskStatus.SUCCEEDED) ? text(data, "response") : null;
            if (status == TaskStatus.SUCCEEDED && response == null) {
                response = TaskRunner.this.hub.text(this.run.taskId);
            }
            String error = (status == TaskStatus.SUCCEEDED) ? null : text(data, "error");
            if (response != null && response.length() > MAX_RESPONSE_CHARS) {
                finish(
                        this.run,
                        TaskStatus.RUNNING,
                        TaskStatus.FAILED,
                        null,
                        "the response has " + response.length() + " characters; at most " + MAX_RESPONSE_CHARS
                                + " are kept");
                return true;
            }
            if (status != TaskStatus.SUCCEEDED && error == null) {
                error = "the node reported " + status.wireName();
            }
            finish(this.run, TaskStatus.RUNNING, status, response, error);
            return true;
        }

        private boolean ensureStarted() {
            if (!this.started) {
                if (!markRunning(this.run)) {
                    return false;
                }
                this.started = true;
            }
            return true;
        }

        private void delta(Event event) {
            String text = text(data(event), "text");
            if (text == null || text.isEmpty()) {
                return;
            }
            long end = offset(event.id(), this.length + text.length());
            long start = end - text.length();
            if (end <= this.length) {
                return;
            }
            String fresh = text.substring((int) Math.max(0, this.length - start));
            this.length = end;
            TaskRunner.this.hub.publish(this.run.taskId, new TaskUpdate.Delta(end, fresh));
        }

        private static long offset(@Nullable String id, long fallback) {
            if (id == null) {
                return fallback;
            }
            try {
                return Long.parseLong(id.strip());
            } catch (NumberFormatException ex) {
                return fallback;
            }
        }

        private static @Nullable TaskStatus finalStatus(String name) {
            return switch (name) {
                case TaskEventTypes.SUCCEEDED -> TaskStatus.SUCCEEDED;
                case TaskEventTypes.FAILED -> TaskStatus.FAILED;
                case TaskEventTypes.CANCELED -> TaskStatus.CANCELED;
                case TaskEventTypes.TIMED_OUT -> TaskStatus.TIMED_OUT;
                default -> null;
            };
        }
    }

    /** One task on one node, as long as this coordinator follows it. */
    private static final class Run {

        private final String taskId;

        private final Node node;

        private final int attempt;

        private final Instant createdAt;

        private volatile @Nullable Instant startedAt;

        private volatile AgentTaskClient.@Nullable EventStream stream;

        private volatile boolean abandoned;

        /** Only the run's own thread reads and writes it. */
        private boolean slotFreed;

        private @Nullable Duration backoff;

        private @Nullable QueuedTask requeued;

        private String lastProblem = "";

        /** A re-attach was answered 404: the node does not know the task. Only the run's own thread uses it. */
        private boolean unknownOnNode;

        Run(String taskId, Node node, int attempt, Instant createdAt, @Nullable Instant startedAt) {
            this.taskId = taskId;
            this.node = node;
            this.attempt = attempt;
            this.createdAt = createdAt;
            this.startedAt = startedAt;
        }
    }
}
