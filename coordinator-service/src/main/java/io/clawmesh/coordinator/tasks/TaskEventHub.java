package io.clawmesh.coordinator.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Relays what happens to each task on this coordinator to the clients that follow it, live, and keeps the reply text
 * of each running task in memory so that a client that connects (or resumes) mid-run gets what it missed in one
 * piece. Deltas are never stored in the database; losing this text (a restart) only means the re-attached run replays
 * it from the agent.
 */
@Component
public class TaskEventHub implements SmartLifecycle {

    /** Updates a client may fall behind by before it is disconnected (it resumes with {@code Last-Event-ID}). */
    static final int SUBSCRIBER_QUEUE = 1024;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    private volatile boolean running;

    /**
     * Starts following a task.
     *
     * @return the subscription; its {@link Subscription#text()} is the reply so far, and every update after that comes
     *     through {@link Subscription#next(Duration)}
     */
    public Subscription subscribe(String taskId) {
        while (true) {
            Channel channel = this.channels.computeIfAbsent(taskId, (id) -> new Channel());
            synchronized (channel) {
                if (channel.removed) {
                    continue;
                }
                Subscription subscription = new Subscription(taskId, channel, channel.text.toString());
                channel.subscribers.add(subscription);
                return subscription;
            }
        }
    }

    /** Tells the followers of a task that something happened; a delta also extends the kept reply text. */
    void publish(String taskId, TaskUpdate update) {
        Channel channel = (update instanceof TaskUpdate.Delta) || (update instanceof TaskUpdate.Started)
                ? this.channels.computeIfAbsent(taskId, (id) -> new Channel())
                : this.channels.get(taskId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            if (channel.removed) {
                return;
            }
            if (update instanceof TaskUpdate.Delta delta) {
                channel.text.append(delta.text());
            }
            for (Subscription subscription : channel.subscribers) {
                subscription.offer(update);
            }
            if (update instanceof TaskUpdate.Ended) {
                channel.subscribers.clear();
                channel.removed = true;
                this.channels.remove(taskId, channel);
            }
        }
    }

    /** The reply text kept for a running task, empty when none is kept. */
    String text(String taskId) {
        Channel channel = this.channels.get(taskId);
        if (channel == null) {
            return "";
        }
        synchronized (channel) {
            return channel.text.toString();
        }
    }

    /** Forgets a task's text without telling anyone (its run gave up on this coordinator). */
    void forget(String taskId) {
        Channel channel = this.channels.get(taskId);
        if (channel != null) {
            synchronized (channel) {
                channel.text.setLength(0);
                if (channel.subscribers.isEmpty()) {
                    channel.removed = true;
                    this.channels.remove(taskId, channel);
                }
            }
        }
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Ends every follower, so that a graceful shutdown does not wait for clients that never hang up. */
    @Override
    public void stop() {
        this.running = false;
        for (Channel channel : this.channels.values()) {
            synchronized (channel) {
                for (Subscription subscription : channel.subscribers) {
                    subscription.closeNow();
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** How many tasks have followers or kept text; for tests. */
    int channelCount() {
        return this.channels.size();
    }

    private void unsubscribe(String taskId, Channel channel, Subscription subscription) {
        synchronized (channel) {
            channel.subscribers.remove(subscription);
            if (channel.subscribers.isEmpty() && channel.text.isEmpty() && !channel.removed) {
                channel.removed = true;
                this.channels.remove(taskId, channel);
            }
        }
    }

    /** The followers and the kept text of one task. */
    private static final class Channel {

        private final StringBuilder text = new StringBuilder();

        private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

        private boolean removed;
    }

    /** One client following one task. Close it when the client goes. */
    public final class Subscription implements AutoCloseable {

        private final String taskId;

        private final Channel channel;

        private final String text;

        /**
         * Bounded but linked: a follower holds a few updates at a time, and a preallocated array of 1,024 slots was
         * 4 KiB of heap per waiting task (4 MiB for 1,000 followers) for nothing.
         */
        private final BlockingQueue<TaskUpdate> queue = new LinkedBlockingQueue<>(SUBSCRIBER_QUEUE);

        private volatile boolean overflowed;

        Subscription(String taskId, Channel channel, String text) {
            this.taskId = taskId;
            this.channel = channel;
            this.text = text;
        }

        /** The reply text of the task when the subscription started (empty when it was not running here). */
        public String text() {
            return this.text;
        }

        /** Whether the client fell too far behind and missed updates: it must reconnect and resume. */
        public boolean overflowed() {
            return this.overflowed;
        }

        /**
         * The next update, waiting up to {@code timeout}.
         *
         * @return {@code null} when none came in time; {@link TaskUpdate.Closed} when the subscription ended (the
         *     coordinator stops, or the client fell too far behind)
         */
        public @Nullable TaskUpdate next(Duration timeout) throws InterruptedException {
            if (this.overflowed && this.queue.isEmpty()) {
                return new TaskUpdate.Closed();
            }
            return this.queue.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }

        void closeNow() {
            this.overflowed = true;
            this.queue.clear();
            this.queue.offer(new TaskUpdate.Closed());
        }

        void offer(TaskUpdate update) {
            if (!this.overflowed && !this.queue.offer(update)) {
                this.overflowed = true;
                this.queue.clear();
            }
        }

        @Override
        public void close() {
            unsubscribe(this.taskId, this.channel, this);
        }
    }
}
