package io.clawmesh.coordinator.events;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.messages.MessageRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns domain events into the wire events of the live stream, keeps the most recent ones for replay, and hands new
 * ones to every open subscription. Publishers never wait for a client: each subscription has a bounded queue, and a
 * client that falls that far behind is disconnected (it reconnects with {@code Last-Event-ID} and replays).
 *
 * <p>Event ids start from the start time in microseconds, so they keep increasing across restarts of this
 * coordinator and a client that reconnects after a restart replays the new instance's buffer instead of waiting for
 * ids to catch up.
 */
@Component
public class EventStream implements SmartLifecycle, RoutingEventListener {

    private static final Logger logger = LoggerFactory.getLogger(EventStream.class);

    private final EventStreamProperties properties;

    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private final ArrayDeque<MeshEventView> recent;

    /** Guarded by {@link #lock}. */
    private long lastId;

    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

    private volatile boolean running;

    private volatile @Nullable Consumer<MeshEventView> fanOut;

    public EventStream(EventStreamProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.recent = new ArrayDeque<>(Math.max(1, properties.bufferSize()));
        this.lastId = clock.millis() * 1000;
    }

    /**
     * Receives the domain events of this replica that the stream carries. Forward attempts and failed probes are
     * filtered out by Spring (which caches the match per event type), so the routing path does not pay a reflective
     * call per attempt for nothing.
     */
    @EventListener({
        NodeRegistered.class,
        NodeStatusChanged.class,
        NodeRemoved.class,
        RuleAdded.class,
        RuleRemoved.class,
        RuleMoved.class,
        MessageHandled.class,
        TaskQueued.class,
        TaskStarted.class,
        TaskFinished.class
    })
    public void on(MeshEvent event) {
        MeshEventView view = toView(event);
        if (view == null) {
            return;
        }
        deliver(view);
        Consumer<MeshEventView> fanOut = this.fanOut;
        if (fanOut != null) {
            fanOut.accept(view);
        }
    }

    /** The forwarder's messages, handed over directly by {@link RoutingEventPublisher}. */
    @Override
    public void onMessageHandled(MessageHandled event) {
        on(event);
    }

    /**
     * Sends every event this replica makes to {@code fanOut} as well (the other replicas' streams, {@link EventFanOut}).
     */
    void fanOutTo(Consumer<MeshEventView> fanOut) {
        this.fanOut = fanOut;
    }

    /** Numbers an event, from this replica or another, and hands it to every subscriber. */
    void deliver(MeshEventView view) {
        this.lock.lock();
        try {
            this.lastId++;
            MeshEventView numbered = view.withId(this.lastId);
            if (this.properties.bufferSize() > 0) {
                if (this.recent.size() == this.properties.bufferSize()) {
                    this.recent.removeFirst();
                }
                this.recent.addLast(numbered);
            }
            // Inside the lock, so every subscription sees events in id order and none between replay and live.
            for (Subscription subscription : this.subscriptions) {
                subscription.offer(numbered);
            }
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Opens a subscription. Events after {@code lastEventId} that are still buffered come first; without an id, only
     * new events come.
     *
     * @throws TooManySubscribersException when {@code mesh.events.max-subscribers} streams are open
     */
    public Subscription subscribe(@Nullable Long lastEventId) {
        if (!this.running) {
            throw new TooManySubscribersException("the coordinator is shutting down");
        }
        if (this.subscriptions.size() >= this.properties.maxSubscribers()) {
            throw new TooManySubscribersException(this.properties.maxSubscribers()
                    + " event streams are open, the most allowed (mesh.events.max-subscribers)");
        }
        Subscription subscription = new Subscription(this.properties.subscriberQueue());
        this.lock.lock();
        try {
            if (lastEventId != null) {
                for (MeshEventView event : this.recent) {
                    if (event.id() > lastEventId) {
                        subscription.replay.add(event);
                    }
                }
            }
            this.subscriptions.add(subscription);
        } finally {
            this.lock.unlock();
        }
        return subscription;
    }

    /** The most recent events, newest last. */
    public List<MeshEventView> recent(int limit) {
        this.lock.lock();
        try {
            List<MeshEventView> all = new ArrayList<>(this.recent);
            return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
        } finally {
            this.lock.unlock();
        }
    }

    /** How many subscriptions are open. */
    public int subscriberCount() {
        return this.subscriptions.size();
    }

    /** How long an idle stream waits before a keep-alive comment. */
    public Duration keepAlive() {
        return this.properties.keepAlive();
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Ends every open stream, so that a graceful shutdown does not wait for clients that never hang up. */
    @Override
    public void stop() {
        this.running = false;
        this.subscriptions.forEach(Subscription::close);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Before the web server's graceful shutdown phase, which would otherwise wait for open streams. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private @Nullable MeshEventView toView(MeshEvent event) {
        return switch (event) {
            case NodeRegistered registered ->
                node(
                        MeshEventTypes.NODE_REGISTERED,
                        registered,
                        registered.node(),
                        (registered.previousStatus() != null)
                                ? registered.previousStatus().wireName()
                                : null,
                        (registered.reregistered() ? "re-registered at " : "registered at ")
                                + registered.node().endpoint());
            case NodeStatusChanged changed ->
                node(
                        MeshEventTypes.NODE_STATUS_CHANGED,
                        changed,
                        changed.node(),
                        changed.previous().wireName(),
                        changed.reason());
            case NodeRemoved removed ->
                node(MeshEventTypes.NODE_REMOVED, removed, removed.node(), null, removed.reason());
            case RuleAdded added -> rule(MeshEventTypes.RULE_ADDED, added, added.rule(), added.position());
            case RuleRemoved removed -> rule(MeshEventTypes.RULE_REMOVED, removed, removed.rule(), null);
            case RuleMoved moved -> rule(MeshEventTypes.RULE_MOVED, moved, moved.rule(), moved.position());
            case MessageHandled handled -> message(handled);
            case ForwardAttempted attempted -> null;
            case NodeProbeFailed probeFailed -> null;
            case NodeRenewed renewed -> null;
            case TaskQueued queued ->
                MeshEventView.ofTask(
                        0,
                        MeshEventTypes.TASK_QUEUED,
                        queued.time(),
                        queued.taskId(),
                        TaskStatus.QUEUED.wireName(),
                        null,
                        null,
                        null,
                        "priority " + queued.priority());
            case TaskStarted started ->
                MeshEventView.ofTask(
                        0,
                        MeshEventTypes.TASK_STARTED,
                        started.time(),
                        started.taskId(),
                        TaskStatus.RUNNING.wireName(),
                        started.nodeId(),
                        started.nodeName(),
                        started.attempt(),
                        null);
            case TaskFinished finished ->
                MeshEventView.ofTask(
                        0,
                        MeshEventTypes.TASK_FINISHED,
                        finished.time(),
                        finished.taskId(),
                        finished.status().wireName(),
                        finished.nodeId(),
                        finished.nodeName(),
                        finished.attempts(),
                        finished.error());
        };
    }

    private static MeshEventView node(
            String type, MeshEvent event, NodeRef node, @Nullable String previousStatus, String detail) {
        return MeshEventView.ofNode(
                0, type, event.time(), node.id(), node.name(), node.status().wireName(), previousStatus, detail);
    }

    private static MeshEventView rule(
            String type, MeshEvent event, io.clawmesh.common.routing.RoutingRule rule, @Nullable Integer position) {
        return MeshEventView.ofRule(
                0, type, event.time(), rule.id(), RuleMatchExpression.format(rule.match()), rule.target(), position);
    }

    private MeshEventView message(MessageHandled handled) {
        MessageRecord record = handled.record();
        boolean routed = record.outcome() == MessageRecord.Outcome.ROUTED;
        return MeshEventView.ofMessage(
                0,
                routed ? MeshEventTypes.MESSAGE_ROUTED : MeshEventTypes.MESSAGE_FAILED,
                handled.time(),
                record.nodeId(),
                record.nodeName(),
                record.ruleId(),
                record.messageId(),
                record.outcome().wireName(),
                record.latencyMs(),
                record.attempts(),
                record.error(),
                this.properties.includeContent() ? handled.content() : null);
    }

    /**
     * One client's view of the stream: first the replayed events, then live ones. Close it when the client goes.
     */
    public final class Subscription implements AutoCloseable {

        /** Wakes a waiting reader when the subscription is closed. */
        private static final MeshEventView CLOSED =
                MeshEventView.ofNode(-1, "closed", java.time.Instant.EPOCH, null, null, null, null, null);

        private final List<MeshEventView> replay = new ArrayList<>();

        private final BlockingQueue<MeshEventView> queue;

        private volatile boolean closed;

        private volatile boolean overflowed;

        Subscription(int capacity) {
            this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        }

        /** The buffered events after the client's last event id, oldest first. */
        public List<MeshEventView> replay() {
            return List.copyOf(this.replay);
        }

        /**
         * Waits up to {@code timeout} for the next live event.
         *
         * @return the event, or {@code null} when none came in time
         * @throws SubscriptionClosedException when the stream was closed (shutdown) or the client fell too far behind
         */
        public @Nullable MeshEventView next(Duration timeout) throws InterruptedException {
            if (this.closed) {
                throw new SubscriptionClosedException(
                        this.overflowed ? "client fell too far behind" : "the coordinator is shutting down");
            }
            MeshEventView event = this.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == CLOSED || (event == null && this.closed)) {
                throw new SubscriptionClosedException(
                        this.overflowed ? "client fell too far behind" : "the coordinator is shutting down");
            }
            return event;
        }

        void offer(MeshEventView event) {
            if (!this.closed && !this.queue.offer(event)) {
                this.overflowed = true;
                logger.info(
                        "Event stream client fell {} events behind; disconnecting it (it may reconnect and replay)",
                        this.queue.size());
                close();
            }
        }

        @Override
        public void close() {
            if (this.closed) {
                return;
            }
            this.closed = true;
            EventStream.this.subscriptions.remove(this);
            this.queue.clear();
            this.queue.offer(CLOSED);
        }
    }
}
