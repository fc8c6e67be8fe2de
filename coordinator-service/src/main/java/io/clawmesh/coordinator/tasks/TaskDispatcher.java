package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.routing.NodeSelector;
import io.clawmesh.coordinator.routing.RouteCandidates;
import io.clawmesh.coordinator.routing.RouteResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one dispatcher loop: sleeps until {@link DispatchSignal} says something changed, then walks the queue in
 * priority-then-arrival order and hands each task whose candidates include a node with a free slot to that node
 * ({@link TaskRunner}). A free slot means this coordinator has fewer tasks and messages in flight there than the
 * node's capacity, and the node did not just refuse work. Tasks whose nodes are all busy stay queued; they never get
 * a 503.
 */
@Component
public class TaskDispatcher implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(TaskDispatcher.class);

    /** After the recovery ({@link TaskRecovery}), which fills the queue first. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final TaskQueue queue;

    private final RouteResolver resolver;

    private final NodeSelector selector;

    private final InflightTracker inflight;

    private final DispatchSignal signal;

    private final TaskRunner runner;

    private final TaskTransitions transitions;

    /** One pass at a time, on the dispatcher's thread or on the run that freed a slot. */
    private final ReentrantLock pass = new ReentrantLock();

    private volatile @Nullable Thread loop;

    private volatile boolean running;

    public TaskDispatcher(
            TaskQueue queue,
            RouteResolver resolver,
            NodeSelector selector,
            InflightTracker inflight,
            DispatchSignal signal,
            TaskRunner runner,
            TaskTransitions transitions) {
        this.queue = queue;
        this.resolver = resolver;
        this.selector = selector;
        this.inflight = inflight;
        this.signal = signal;
        this.runner = runner;
        this.transitions = transitions;
    }

    @Override
    public void start() {
        this.running = true;
        this.loop = Thread.ofPlatform().name("task-dispatcher").daemon(true).start(this::loop);
        this.signal.passHere(this::dispatchIfIdle);
        this.signal.signal();
    }

    @Override
    public void stop() {
        this.running = false;
        this.signal.passHere(null);
        this.runner.stopFollowing();
        Thread thread = this.loop;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void loop() {
        while (this.running) {
            try {
                this.signal.await(this.signal.untilNextBackoffEnds());
                this.pass.lock();
                try {
                    dispatch();
                } finally {
                    this.pass.unlock();
                }
            } catch (InterruptedException ex) {
                return;
            } catch (RuntimeException ex) {
                logger.warn("Task dispatch failed; trying again at the next signal", ex);
            }
        }
    }

    /** Whether the dispatcher's thread sleeps until a signal, no pass under way; for tests. */
    boolean asleep() {
        Thread thread = this.loop;
        return thread != null && thread.getState() == Thread.State.WAITING && !this.pass.isLocked();
    }

    /**
     * A pass on the caller's thread, unless one is under way (that one, or the one the caller's signal starts, sees
     * what the caller changed).
     *
     * @return whether the pass ran here
     */
    boolean dispatchIfIdle() {
        if (!this.running || !this.pass.tryLock()) {
            return false;
        }
        try {
            this.signal.consume();
            dispatch();
            return true;
        } catch (RuntimeException ex) {
            logger.warn("Task dispatch failed; trying again at the next signal", ex);
            return true;
        } finally {
            this.pass.unlock();
        }
    }

    /**
     * One pass over the queue: sends every task that can go now.
     *
     * @return how many tasks were sent
     */
    int dispatch() {
        List<QueuedTask> waiting = this.queue.inOrder();
        if (waiting.isEmpty()) {
            return 0;
        }
        Map<String, Placement> placements = new HashMap<>();
        int sent = 0;
        for (QueuedTask task : waiting) {
            Placement placement = placements.computeIfAbsent(task.placementKey(), (key) -> place(task));
            if (placement.error != null) {
                failUnplaceable(task, placement.error);
                continue;
            }
            List<Node> open = new ArrayList<>(placement.candidates.nodes().size());
            for (Node node : placement.candidates.nodes()) {
                if (hasFreeSlot(node)) {
                    open.add(node);
                }
            }
            if (open.isEmpty()) {
                continue;
            }
            Node node = this.selector.select(
                    placement.candidates.strategy(), placement.candidates.selectionKey(), open, task.sessionKey());
            if (!this.queue.remove(task.id())) {
                continue;
            }
            this.inflight.increment(node.id());
            this.runner.launch(task, node);
            sent++;
        }
        return sent;
    }

    private boolean hasFreeSlot(Node node) {
        return this.inflight.get(node.id()) < node.capacity() && !this.signal.isBackedOff(node.id());
    }

    private Placement place(QueuedTask task) {
        try {
            RuleMatch match = (task.match() != null) ? RuleMatchExpression.parse(task.match()) : null;
            return new Placement(this.resolver.resolveTask(task.target(), match), null);
        } catch (NodeNotFoundException | InvalidInputException ex) {
            return new Placement(null, ex.getMessage());
        }
    }

    /** The task's target node was removed while it waited: it can never run. */
    private void failUnplaceable(QueuedTask task, String reason) {
        if (this.queue.remove(task.id())) {
            this.transitions.finish(
                    task.id(),
                    TaskStatus.QUEUED,
                    TaskStatus.FAILED,
                    null,
                    "the task can no longer be placed: " + reason,
                    null,
                    null,
                    task.attempts(),
                    null);
        }
    }

    /** The candidates of tasks with one target and match, or why there are none ever. */
    private record Placement(
            @Nullable RouteCandidates candidates, @Nullable String error) {}
}
