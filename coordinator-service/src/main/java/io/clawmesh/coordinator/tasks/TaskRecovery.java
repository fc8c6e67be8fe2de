package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.AgentTaskView;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Picks up the unfinished tasks at start (ADR 0008), after the registry is loaded and before the dispatcher runs:
 * queued tasks go back into the queue; a task that was assigned or running is asked about on its node: the node knows
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

    private volatile boolean running;

    public TaskRecovery(
            TaskRepository repository,
            TaskQueue queue,
            TaskDeadlines deadlines,
            TaskTransitions transitions,
            TaskRunner runner,
            AgentTaskClient client,
            NodeRegistry registry,
            DispatchSignal signal,
            TaskProperties properties) {
        this.repository = repository;
        this.queue = queue;
        this.deadlines = deadlines;
        this.transitions = transitions;
        this.runner = runner;
        this.client = client;
        this.registry = registry;
        this.signal = signal;
        this.properties = properties;
    }

    @Override
    public void start() {
        this.running = true;
        List<Task> unfinished =
                this.repository.findByStatus(EnumSet.of(TaskStatus.QUEUED, TaskStatus.ASSIGNED, TaskStatus.RUNNING));
        int queued = 0;
        int held = 0;
        for (Task task : unfinished) {
            this.deadlines.schedule(task.id(), task.deadline());
            if (task.status() == TaskStatus.QUEUED) {
                this.queue.add(QueuedTask.of(task));
                queued++;
            } else {
                held++;
                Thread.ofVirtual().name("task-recovery-" + task.id()).start(() -> recover(task));
            }
        }
        if (queued + held > 0) {
            logger.info("Recovered {} queued tasks; asking the nodes about {} assigned or running ones", queued, held);
        }
        this.signal.signal();
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
