package io.clawmesh.coordinator.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** Messages this coordinator has in flight to each node right now: the fresh half of least-busy's load figure. */
@Component
public class InflightTracker {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with the node's id on the releasing thread each time a slot is released (a decrement): work that waits for a
     * free slot can go now. Listeners must be quick and must not throw.
     */
    public void onRelease(Consumer<String> listener) {
        this.releaseListeners.add(listener);
    }

    public int get(String nodeId) {
        AtomicInteger count = this.counts.get(nodeId);
        return (count != null) ? count.get() : 0;
    }

    public void increment(String nodeId) {
        this.counts.computeIfAbsent(nodeId, (id) -> new AtomicInteger()).incrementAndGet();
    }

    public void decrement(String nodeId) {
        AtomicInteger count = this.counts.get(nodeId);
        if (count != null) {
            count.decrementAndGet();
        }
        for (Consumer<String> listener : this.releaseListeners) {
            listener.accept(nodeId);
        }
    }

    /** Total in flight over all nodes. */
    public int total() {
        return this.counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
