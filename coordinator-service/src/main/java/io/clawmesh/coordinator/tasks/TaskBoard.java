package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.events.TaskQueued;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.routing.RouteResolver;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The tasks as the API sees them: submit (idempotently, into a bounded queue), read, list, cancel, and end at the
 * deadline. Submission writes the row and queues it; everything after that is the dispatcher's and the runs'.
 */
@Service
public class TaskBoard {

    private static final Logger logger = LoggerFactory.getLogger(TaskBoard.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Pattern TASK_ID = Pattern.compile("task-[0-9a-f]{20}");

    private static final int MAX_PAGE = 200;

    private static final String CURSOR_PREFIX = "seq:";

    private final TaskRepository repository;

    private final TaskQueue queue;

    private final TaskTransitions transitions;

    private final TaskDeadlines deadlines;

    private final TaskRunner runner;

    private final AgentTaskClient client;

    private final RouteResolver resolver;

    private final NodeRegistry registry;

    private final DispatchSignal signal;

    private final TaskProperties properties;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    private final AuditTrail audit;

    public TaskBoard(
            TaskRepository repository,
            TaskQueue queue,
            TaskTransitions transitions,
            TaskDeadlines deadlines,
            TaskRunner runner,
            AgentTaskClient client,
            RouteResolver resolver,
            NodeRegistry registry,
            DispatchSignal signal,
            TaskProperties properties,
            ApplicationEventPublisher events,
            Clock clock,
            AuditTrail audit) {
        this.audit = audit;
        this.repository = repository;
        this.queue = queue;
        this.transitions = transitions;
        this.deadlines = deadlines;
        this.runner = runner;
        this.client = client;
        this.resolver = resolver;
        this.registry = registry;
        this.signal = signal;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        deadlines.onExpiry(this::expire);
    }

    /** A submitted task, and whether this submission created it (else an {@code Idempotency-Key} named it). */
    public record Submitted(Task task, boolean created) {}

    /**
     * Submits a task.
     *
     * @throws InvalidInputException when the request breaks the contract or no registered node could ever run it
     * @throws io.clawmesh.coordinator.registry.NodeNotFoundException when its target node does not exist
     * @throws IdempotencyConflictException when the key names a task with another body
     * @throws QueueFullException when {@code mesh.tasks.max-queued} tasks wait
     */
    public Submitted submit(TaskRequest request, @Nullable String idempotencyKey) {
        return submit(request, idempotencyKey, null);
    }

    /**
     * Submits a task for {@code owner}, the client key that sends it ({@code null} for the operator); otherwise as
     * {@link #submit(TaskRequest, String)}. An idempotency key another owner used is refused without naming its task.
     */
    public Submitted submit(TaskRequest request, @Nullable String idempotencyKey, @Nullable String owner) {
        TaskSubmission submission = TaskSubmission.of(
                request, idempotencyKey, this.properties.defaultTimeout(), this.properties.maxTimeout());
        String hash = submission.hash();
        if (idempotencyKey != null) {
            Optional<Task> existing = this.repository.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                requireSameOwner(existing.get(), owner);
                return resubmitted(existing.get(), hash);
            }
        }
        this.resolver.requireTaskPlacement(submission.target(), submission.parsedMatch());
        if (this.queue.size() >= this.properties.maxQueued()) {
            throw new QueueFullException(this.properties.maxQueued(), this.properties.retryAfter());
        }
        Instant now = this.clock.instant();
        Task task = new Task(
                0,
                newTaskId(),
                TaskStatus.QUEUED,
                submission.priority(),
                submission.content(),
                submission.source(),
                submission.sessionKey(),
                submission.target(),
                submission.match(),
                submission.timeout(),
                idempotencyKey,
                (idempotencyKey != null) ? hash : null,
                null,
                null,
                0,
                now,
                null,
                null,
                null,
                null,
                owner);
        Task inserted;
        try {
            inserted = this.repository.insert(task);
        } catch (DuplicateKeyException ex) {
            // the same key submitted at the same moment: the first insert won
            if (idempotencyKey == null) {
                throw ex;
            }
            Task existing = this.repository.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> ex);
            requireSameOwner(existing, owner);
            return resubmitted(existing, hash);
        }
        this.deadlines.schedule(inserted.id(), inserted.deadline());
        this.queue.add(QueuedTask.of(inserted));
        this.events.publishEvent(new TaskQueued(inserted.id(), inserted.priority(), now));
        this.signal.signal();
        return new Submitted(inserted, true);
    }

    private static Submitted resubmitted(Task existing, String hash) {
        if (!hash.equals(existing.requestHash())) {
            throw new IdempotencyConflictException(existing.id());
        }
        return new Submitted(existing, false);
    }

    private static void requireSameOwner(Task existing, @Nullable String owner) {
        if (!Objects.equals(existing.owner(), owner)) {
            throw new InvalidInputException("this Idempotency-Key is in use by another client; choose another one");
        }
    }

    /** @throws TaskNotFoundException when no such task exists */
    public Task find(String id) {
        requireTaskId(id);
        return this.repository.findById(id).orElseThrow(() -> new TaskNotFoundException(id));
    }

    /**
     * A task as {@code owner} may see it: the operator ({@code null}) every task, a client key only its own.
     *
     * @throws TaskNotFoundException when no such task exists or it belongs to someone else
     */
    public Task find(String id, @Nullable String owner) {
        Task task = find(id);
        if (!task.visibleTo(owner)) {
            throw new TaskNotFoundException(id);
        }
        return task;
    }

    /**
     * One page of tasks, newest first.
     *
     * @param cursor the {@code next_cursor} of the previous page
     * @throws InvalidInputException for a limit out of range or a cursor this coordinator did not issue
     */
    public TaskPage list(@Nullable TaskStatus status, @Nullable String node, @Nullable String cursor, int limit) {
        return list(status, node, null, cursor, limit);
    }

    /** One page of the tasks of {@code owner} ({@code null}: every task), newest first; otherwise as the above. */
    public TaskPage list(
            @Nullable TaskStatus status,
            @Nullable String node,
            @Nullable String owner,
            @Nullable String cursor,
            int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException("limit must be 1-" + MAX_PAGE + ", not " + limit);
        }
        if (node != null && (node.isBlank() || node.length() > 100)) {
            throw new InvalidInputException("node must be a node id or name");
        }
        Long before = (cursor != null) ? decodeCursor(cursor) : null;
        List<Task> tasks = this.repository.page(status, node, owner, before, limit + 1);
        String next = null;
        if (tasks.size() > limit) {
            tasks = tasks.subList(0, limit);
            next = encodeCursor(tasks.getLast().seq());
        }
        return new TaskPage(tasks.stream().map(Task::view).toList(), next);
    }

    /**
     * Cancels a task: it ends {@code canceled} at once; a running one is also aborted on its node.
     *
     * @return the task as it is after the cancel
     * @throws TaskFinishedException when it had finished already
     */
    public Task cancel(String id) {
        Task task = end(id, TaskStatus.CANCELED, "canceled by the operator", true);
        if (task.status() == TaskStatus.CANCELED) {
            this.audit.record(
                    AuditAction.TASK_CANCEL,
                    task.id(),
                    "canceled " + ((task.nodeName() != null) ? "on node " + task.nodeName() : "while queued"));
        }
        return task;
    }

    /**
     * Cancels a task of {@code owner} ({@code null}: the operator, any task).
     *
     * @throws TaskNotFoundException when it belongs to someone else
     */
    public Task cancel(String id, @Nullable String owner) {
        if (owner == null) {
            return cancel(id);
        }
        find(id, owner);
        return end(id, TaskStatus.CANCELED, "canceled by its client", true);
    }

    /** Ends a task whose deadline passed ({@link TaskDeadlines}); a finished task is left alone. */
    void expire(String id) {
        Task task = this.repository.findById(id).orElse(null);
        if (task == null || task.status().finished()) {
            return;
        }
        end(id, TaskStatus.TIMED_OUT, "timed out after " + task.timeout() + " (its timeout)", false);
    }

    private Task end(String id, TaskStatus to, String reason, boolean byCancel) {
        requireTaskId(id);
        for (int round = 0; round < 5; round++) {
            Task task = this.repository.findById(id).orElseThrow(() -> new TaskNotFoundException(id));
            if (task.status().finished()) {
                if (byCancel) {
                    throw new TaskFinishedException(id, task.status());
                }
                return task;
            }
            if (switch (task.status()) {
                case QUEUED -> endQueued(task, to, reason);
                case ASSIGNED -> finish(task, TaskStatus.ASSIGNED, to, reason);
                case RUNNING -> endRunning(task, to, reason);
                default -> false;
            }) {
                return this.repository.findById(id).orElseThrow(() -> new TaskNotFoundException(id));
            }
            // lost a race with the dispatcher or the run: look again
        }
        return find(id);
    }

    private boolean endQueued(Task task, TaskStatus to, String reason) {
        if (!finish(task, TaskStatus.QUEUED, to, reason)) {
            return false;
        }
        this.queue.remove(task.id());
        return true;
    }

    /**
     * A running task ends here first (so that the final event its node sends after the abort cannot overrule the
     * cancel or the timeout), then its run here stops following it and its node is told to abort the run.
     */
    private boolean endRunning(Task task, TaskStatus to, String reason) {
        if (!finish(task, TaskStatus.RUNNING, to, reason)) {
            return false;
        }
        this.runner.abandon(task.id());
        Node node = (task.nodeId() != null) ? this.registry.find(task.nodeId()).orElse(null) : null;
        AgentTaskClient.CancelAnswer answer =
                (node != null) ? this.client.cancel(node, task.id()) : AgentTaskClient.CancelAnswer.UNREACHABLE;
        if (answer == AgentTaskClient.CancelAnswer.UNREACHABLE) {
            logger.warn(
                    "Task {} {}, but its node {} could not be told to abort the run",
                    task.id(),
                    to.wireName(),
                    task.nodeName());
        }
        return true;
    }

    private boolean finish(Task task, TaskStatus from, TaskStatus to, String reason) {
        return this.transitions.finish(
                task.id(), from, to, null, reason, task.nodeId(), task.nodeName(), task.attempts(), task.startedAt());
    }

    /** @throws TaskNotFoundException for an id this coordinator can never have issued */
    static void requireTaskId(String id) {
        if (!TASK_ID.matcher(id).matches()) {
            throw new TaskNotFoundException(id);
        }
    }

    static String newTaskId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return "task-" + HexFormat.of().formatHex(bytes);
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                long seq = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException ex) {
            // falls through to the refusal
        }
        throw new InvalidInputException(
                "cursor is not one this coordinator issued; pass the next_cursor of the previous page unchanged");
    }
}
