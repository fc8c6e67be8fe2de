package io.clawmesh.coordinator.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Messages this coordinator has in flight to each node right now, with when each began: the fresh half of least-busy's
 * load figure. With several replicas routing to one node, the agent's own count in its last heartbeat is the truth
 * and each replica adds what it has in flight that began since ({@link #startedSince}); SPEC §19.
 * <p>
 * Which message ends is not known here (callers release a slot by node), so a release forgets the oldest start: a
 * slow message that began before the heartbeat may be counted as begun after it, never the other way round, so the
 * load is at worst over-estimated, and only until the next heartbeat.
 */
@Component
public class InflightTracker {

    private final Map<String, Slots> slots = new ConcurrentHashMap<>();

    private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();

    private final Clock clock;

    public InflightTracker(Clock clock) {
        this.clock = clock;
    }

    /**
     * Calls {@code listener} with the node's id on the releasing thread each time a slot is released (a decrement):
     * work that waits for a free slot can go now. Listeners must be quick and must not throw.
     */
    public void onRelease(Consumer<String> listener) {
        this.releaseListeners.add(listener);
    }

    /** In flight from this coordinator to the node. */
    public int get(String nodeId) {
        Slots node = this.slots.get(nodeId);
        return (node != null) ? node.size() : 0;
    }

    /**
     * In flight from this coordinator to the node that began after {@code reportedAt}, the time of the heartbeat
     * whose count the node last reported; all of them when it never reported.
     */
    public int startedSince(String nodeId, @Nullable Instant reportedAt) {
        Slots node = this.slots.get(nodeId);
        if (node == null) {
            return 0;
        }
        return (reportedAt != null) ? node.startedAfter(reportedAt.toEpochMilli()) : node.size();
    }

    /**
     * In flight to a node as best known: what the agent reported in its last heartbeat (which counts every replica's
     * messages that had reached it), plus what this coordinator sent it since (SPEC §19). Routing, the API and the
     * dashboard all show this figure.
     */
    public int load(Node node) {
        return node.reportedInflight() + startedSince(node.id(), node.lastHeartbeat());
    }

    public void increment(String nodeId) {
        this.slots.computeIfAbsent(nodeId, (id) -> new Slots()).add(this.clock.millis());
    }

    public void decrement(String nodeId) {
        Slots node = this.slots.get(nodeId);
        if (node != null) {
            node.removeOldest();
        }
        for (Consumer<String> listener : this.releaseListeners) {
            listener.accept(nodeId);
        }
    }

    /** Total in flight over all nodes. */
    public int total() {
        return this.slots.values().stream().mapToInt(Slots::size).sum();
    }

    /** The start times (epoch milliseconds) of one node's messages in flight, oldest first. */
    private static final class Slots {

        private final ArrayDeque<Long> starts = new ArrayDeque<>();

        synchronized void add(long start) {
            this.starts.addLast(start);
        }

        synchronized void removeOldest() {
            this.starts.pollFirst();
        }

        synchronized int size() {
            return this.starts.size();
        }

        /** Counted from the newest, which are the few since the last heartbeat. */
        synchronized int startedAfter(long millis) {
            int count = 0;
            Iterator<Long> newestFirst = this.starts.descendingIterator();
            while (newestFirst.hasNext() && newestFirst.next() > millis) {
                count++;
            }
            return count;
        }
    }
}
