package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.common.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of this agent by task id (ADR 0008): each runs on its own thread, detached from the request that started
 * it, through the {@link CapacityGate} the messages use too. A task id seen before attaches to its run instead of
 * starting another. A task ends once: succeeded, failed, canceled ({@link #cancel}) or timed out (its own timeout,
 * found by {@link #sweep}); the run is aborted on its runtime in the last two cases. Ended tasks are kept for the
 * retention window and at most {@code maxRetained} of them, then forgotten.
 */
public class AgentTasks {

    private static final Logger logger = LoggerFactory.getLogger(AgentTasks.class);

    /**
     * The form of a task id: the coordinator's ids, never arbitrary text, as they go into paths and logs (and never
     * {@code .} or {@code ..}, which a URL would resolve).
     */
    public static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** The longest timeout a task may ask for. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);

    private final AgentRuntime runtime;

    private final CapacityGate gate;

    private final Clock clock;

    private final Duration retention;

    private final int maxRetained;

    private final Duration defaultTimeout;

    private final Executor runner;

    /** In the order the tasks started; guarded by {@code this}. */
    private final Map<String, AgentTask> tasks = new LinkedHashMap<>();

    /**
     * @param retention how long an ended task is kept ({@code mesh.agent.task-retention})
     * @param maxRetained how many tasks are kept at most; the oldest ended ones go first
     * @param defaultTimeout the timeout of a task that names none
     * @param runner runs each task; one new virtual thread per task in the application
     */
    public AgentTasks(
            AgentRuntime runtime,
            CapacityGate gate,
            Clock clock,
            Duration retention,
            int maxRetained,
            Duration defaultTimeout,
            Executor runner) {
        this.runtime = runtime;
        this.gate = gate;
        this.clock = clock;
        this.retention = retention;
        this.maxRetained = maxRetained;
        this.defaultTimeout = defaultTimeout;
        this.runner = runner;
    }

    /**
     * Starts a task, or attaches to the task with that id when there is one.
     *
     * @throws InvalidInputException when the id, content or timeout is missing or malformed
     * @throws MessageTooLargeException when the content is over 1 MiB
     * @throws RuntimeUnavailableException when the runtime is down (a new task only)
     * @throws NodeAtCapacityException when every slot is taken (a new task only)
     */
    public Admission submit(AgentTaskRequest request) {
        String id = taskId(request.taskId());
        String content = content(request.content());
        Duration timeout = timeout(request.timeoutMs());
        synchronized (this) {
            AgentTask existing = this.tasks.get(id);
            if (existing != null) {
                return new Admission(existing, false);
            }
            if (!this.runtime.info().connected()) {
                throw new RuntimeUnavailableException(this.runtime.info().kind());
            }
            if (!this.gate.tryEnter()) {
                logger.info("Task {} refused: node at capacity ({})", id, this.gate.capacity());
                throw new NodeAtCapacityException(this.gate.capacity());
            }
            AgentTask task = new AgentTask(id, this.clock.instant().plus(timeout), timeout);
            RuntimeRequest run = new RuntimeRequest(
                    id, content, request.source(), request.sessionKey(), task.deadline(), task.abort());
            this.tasks.put(id, task);
            try {
                this.runner.execute(() -> run(task, run));
            } catch (RuntimeException ex) {
                this.tasks.remove(id);
                this.gate.exit();
                throw ex;
            }
            forgetOverflow();
            logger.info(
                    "Task {} started on the {} runtime", id, this.runtime.info().kind());
            return new Admission(task, true);
        }
    }

    /** The task with that id, while it runs or is retained. */
    public synchronized Optional<AgentTask> find(String id) {
        return Optional.ofNullable(this.tasks.get(id));
    }

    /**
     * Ends a running task as canceled at once and aborts its run; the runtime's slot is given back when the run
     * returns.
     *
     * @throws TaskNotFoundException when the id is unknown
     * @throws TaskFinishedException when the task has already ended
     */
    public AgentTask cancel(String id) {
        AgentTask task = find(id).orElseThrow(() -> new TaskNotFoundException(id));
        String why = "canceled by the coordinator";
        if (!task.end(TaskStatus.CANCELED, why, this.clock.instant())) {
            throw new TaskFinishedException(id, task.progress().status());
        }
        logger.info("Task {} canceled; aborting its run", id);
        task.abort().abort(why);
        return task;
    }

    /** Times out the running tasks whose timeout has passed and forgets the ended ones past the retention window. */
    public void sweep() {
        Instant now = this.clock.instant();
        List<AgentTask> overdue = new ArrayList<>();
        synchronized (this) {
            Iterator<AgentTask> all = this.tasks.values().iterator();
            while (all.hasNext()) {
                AgentTask task = all.next();
                Instant finishedAt = task.finishedAt();
                if (finishedAt == null) {
                    if (!task.deadline().isAfter(now)) {
                        overdue.add(task);
                    }
                } else if (!finishedAt.plus(this.retention).isAfter(now)) {
                    all.remove();
                }
            }
        }
        for (AgentTask task : overdue) {
            String why = timedOut(task);
            if (task.end(TaskStatus.TIMED_OUT, why, now)) {
                logger.info("Task {} timed out; aborting its run", task.id());
                task.abort().abort(why);
            }
        }
    }

    /** Ends every running task as failed and aborts its run: the agent is going away and cannot finish them. */
    public void close() {
        List<AgentTask> all;
        synchronized (this) {
            all = List.copyOf(this.tasks.values());
        }
        String why = "the node agent shut down while the task ran";
        for (AgentTask task : all) {
            if (task.end(TaskStatus.FAILED, why, this.clock.instant())) {
                task.abort().abort(why);
            }
        }
    }

    /**
     * Runs a task on the runtime. The slot is given back as soon as the runtime returns, before the task shows its
     * end: the coordinator sends this node its next task the moment it reads the final event, and that task must
     * find the slot free (not a 429 and a backoff).
     */
    private void run(AgentTask task, RuntimeRequest request) {
        boolean slotFree = false;
        try {
            if (task.abort().aborted()) {
                return;
            }
            String reply;
            try {
                reply = this.runtime.stream(request, task::append);
            } finally {
                this.gate.exit();
                slotFree = true;
            }
            if (task.succeed(reply, this.clock.instant())) {
                logger.info("Task {} succeeded", task.id());
            }
        } catch (RuntimeFailureException ex) {
            failed(task, ex.getMessage());
        } catch (RuntimeException ex) {
            logger.error("Task {} failed unexpectedly", task.id(), ex);
            failed(task, "the node agent failed unexpectedly: " + ex);
        } finally {
            if (!slotFree) {
                this.gate.exit();
            }
            if (task.end(TaskStatus.FAILED, "the run ended without an answer", this.clock.instant())) {
                logger.warn("Task {} ended without an answer", task.id());
            }
        }
    }

    private void failed(AgentTask task, @Nullable String why) {
        Instant now = this.clock.instant();
        boolean overdue = !task.deadline().isAfter(now);
        TaskStatus status = overdue ? TaskStatus.TIMED_OUT : TaskStatus.FAILED;
        String error = overdue ? timedOut(task) : String.valueOf(why);
        if (task.end(status, error, now)) {
            logger.info("Task {} {}: {}", task.id(), status.wireName(), error);
        }
    }

    /** Keeps the count bounded: the oldest ended tasks go first; running ones are bounded by the capacity. */
    private void forgetOverflow() {
        Iterator<AgentTask> all = this.tasks.values().iterator();
        int excess = this.tasks.size() - this.maxRetained;
        while (excess > 0 && all.hasNext()) {
            if (all.next().finishedAt() != null) {
                all.remove();
                excess--;
            }
        }
    }

    private static String timedOut(AgentTask task) {
        return "the task's timeout of " + task.timeout().toMillis() + " ms passed";
    }

    private static String taskId(@Nullable String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidInputException("field 'task_id' is required");
        }
        if (!TASK_ID.matcher(id).matches()) {
            throw new InvalidInputException("field 'task_id' must be 1 to 100 characters of A-Z a-z 0-9 . _ : -"
                    + ", starting with a letter or digit");
        }
        return id;
    }

    private static String content(@Nullable String content) {
        if (content == null || content.isEmpty()) {
            throw new InvalidInputException("field 'content' is required");
        }
        if (content.length() > MessageDispatcher.MAX_CONTENT_BYTES / 3
                && content.getBytes(StandardCharsets.UTF_8).length > MessageDispatcher.MAX_CONTENT_BYTES) {
            throw new MessageTooLargeException(MessageDispatcher.MAX_CONTENT_BYTES);
        }
        return content;
    }

    private Duration timeout(@Nullable Long timeoutMs) {
        if (timeoutMs == null) {
            return this.defaultTimeout;
        }
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT.toMillis()) {
            throw new InvalidInputException(
                    "field 'timeout_ms' must be between 1 and " + MAX_TIMEOUT.toMillis() + " (7 days)");
        }
        return Duration.ofMillis(timeoutMs);
    }

    /**
     * The answer to a submission.
     *
     * @param started {@code true} when this submission started the task, {@code false} when it attached to a known one
     */
    public record Admission(AgentTask task, boolean started) {}
}
