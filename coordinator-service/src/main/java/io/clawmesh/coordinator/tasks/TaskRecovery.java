package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.AgentTaskView;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.replicas.ReplicaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Picks up the unfinished tasks this replica held at start (ADR 0008), after the registry is loaded and before the
 * dispatcher runs, and adopts those of replicas that died (ADR 0013), at start and every
 * {@code mesh.replicas.heartbeat-interval}: queued tasks go back into the queue; a task that was assigned or running is asked about on its node: the node knows
 * it → its stream is re-attached (or its result taken); the node does not know it (or is gone) → an assigned task
 * never started and is queued again, a running one was lost and fails; the node cannot be asked → it is asked again
 * until it answers or the task's deadline ends the task. Nothing runs twice, nothing is lost.
 */
@Component
public class TaskRecovery implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(TaskRecovery.class);

    private final TaskRepository repository;

    private final TaskQueue queue;

    private final TaskDeadlines deadlines;

    private final TaskTransitions transitions;

    private final TaskRunner runner;

    private final AgentTaskClient client;

    private final NodeRegistry registry;

    private final DispatchSignal signal;

    private final TaskProperties properties;

    private final ReplicaRegistry replicas;

    private volatile boolean running;

    /** Tasks adopted in one pass at most; the next pass takes the rest. */
    private static final int ADOPTION_BATCH = 500;

    public TaskRecovery(
            TaskRepository repository,
            TaskQueue queue,
            TaskDeadlines deadlines,
            TaskTransitions transitions,
            TaskRunner runner,
            AgentTaskClient client,
            NodeRegistry registry,
            DispatchSignal signal,
            TaskProperties properties,
            ReplicaRegistry replicas) {
        this.repository = repository;
        this.queue = queue;
        this.deadlines = deadlines;
        this.transitions = transitions;
        this.runner = runner;
        this.client = client;
        this.registry = registry;
        this.signal = signal;
        this.properties = properties;
        this.replicas = replicas;
    }

    @Override
    public void start() {
        this.running = true;
        int own = take(this.repository.findUnfinishedHeldHere());
        if (own > 0) {
            logger.info("Recovered {} unfinished tasks this replica held before its restart", own);
        }
        adoptOrphans();
        this.signal.signal();
    }

    /**
     * Adopts the unfinished tasks that no live replica holds (their replica died, or left without finishing them):
     * each one is claimed with one conditional update, so of several replicas adopting at once exactly one gets it,
     * then handled as at a restart. Runs on every replica; the database decides.
     *
     * @return how many tasks this replica adopted
     */
    @Scheduled(
            fixedDelayString = "${mesh.replicas.heartbeat-interval:2s}",
            initialDelayString = "${mesh.replicas.heartbeat-interval:2s}")
    public int adoptOrphans() {
        if (!this.running) {
            return 0;
        }
        Instant aliveSince = this.replicas.aliveSince();
        List<Task> adopted = new ArrayList<>();
        for (Task task : this.repository.findOrphaned(aliveSince, ADOPTION_BATCH)) {
            if (this.repository.adopt(task.id(), aliveSince)) {
                adopted.add(task);
            }
        }
        if (!adopted.isEmpty()) {
            logger.info(
                    "Adopted {} unfinished tasks that no live replica held (mesh.replicas.dead-after)", adopted.size());
            take(adopted);
            this.signal.signal();
        }
        return adopted.size();
    }

    /** Queues the queued tasks and asks the nodes about the others; answers how many. */
    private int take(List<Task> unfinished) {
        for (Task task : unfinished) {
            this.deadlines.schedule(task.id(), task.deadline());
            if (task.status() == TaskStatus.QUEUED) {
                this.queue.add(QueuedTask.of(task));
            } else {
                Thread.ofVirtual().name("task-recovery-" + task.id()).start(() -> recover(task));
            }
        }
        return unfinished.size();
    }

    /**
     * Asks the task's node about it and acts on the answer. A node that cannot be asked (unreachable, offline, its
     * agent restarting) is asked again, the pauses growing up to {@code mesh.tasks.recovery-interval}, for as long as
     * the task stays where the restart found it: it may still be running there, so it is neither sent elsewhere (it
     * could run twice) nor failed (its result would be lost). Its deadline, a cancel or the node's answer ends it.
     */
    void recover(Task task) {
        Node node = (task.nodeId() != null) ? this.registry.find(task.nodeId()).orElse(null) : null;
        if (node == null) {
            unknown(task, "its node " + task.nodeName() + " is gone");
            return;
        }
        for (int attempt = 1; this.running; attempt++) {
            try {
                Optional<AgentTaskView> view = this.client.find(node, task.id());
                if (view.isEmpty()) {
                    unknown(task, "its node " + node.name() + " does not know it (restarted, or past its retention)");
                } else if (view.get().status().finished()) {
                    collect(task, node, view.get());
                } else {
                    logger.info("Task {}: re-attaching to its run on {}", task.id(), node.name());
                    this.runner.reattach(task, node);
                }
                return;
            } catch (ForwardAttemptException ex) {
                if (attempt == 1) {
                    logger.warn(
                            "Task {}: its node {} cannot be asked about it ({}); asking again until it answers or"
                                    + " the task ends",
                            task.id(),
                            node.name(),
                            ex.getMessage());
                }
                if (!pause(attempt) || !stillWhereFound(task)) {
                    return;
                }
            }
        }
    }

    /** Whether the task is still in the status the restart found it in (no deadline, cancel or answer ended it). */
    private boolean stillWhereFound(Task task) {
        return this.repository
                .findById(task.id())
                .map((current) -> current.status() == task.status())
                .orElse(false);
    }

    /** The run ended while no coordinator followed it: its result is on the node. */
    private void collect(Task task, Node node, AgentTaskView view) {
        TaskStatus status = view.status();
        boolean succeeded = status == TaskStatus.SUCCEEDED;
        this.transitions.finish(
                task.id(),
                task.status(),
                status,
                succeeded ? view.text() : null,
                succeeded ? null : ((view.error() != null) ? view.error() : "the node reported " + status.wireName()),
                node.id(),
                node.name(),
                task.attempts(),
                task.startedAt());
    }

    private void unknown(Task task, String reason) {
        if (task.status() == TaskStatus.ASSIGNED) {
            // assigned but unknown to its node: it never started there, so sending it again cannot run it twice
            if (this.transitions.requeue(task.id(), reason)) {
                this.queue.add(QueuedTask.of(task));
                this.signal.signal();
            }
            return;
        }
        this.transitions.finish(
                task.id(),
                TaskStatus.RUNNING,
                TaskStatus.FAILED,
                null,
                "the node lost the task: " + reason,
                task.nodeId(),
                task.nodeName(),
                task.attempts(),
                task.startedAt());
    }

    private boolean pause(int attempt) {
        try {
            Thread.sleep(Duration.ofMillis(
                    Math.min(this.properties.recoveryInterval().toMillis(), 250L * attempt)));
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Before the dispatcher, so that it starts with the queue filled. */
    @Override
    public int getPhase() {
        return TaskDispatcher.PHASE - 1;
    }
}
