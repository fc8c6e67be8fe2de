package io.clawmesh.coordinator.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Messages this coordinator has in flight to each node right now: the fresh half of least-busy's load figure. */
@Component
public class InflightTracker {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

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
    }

    /** Total in flight over all nodes. */
    public int total() {
        return this.counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
