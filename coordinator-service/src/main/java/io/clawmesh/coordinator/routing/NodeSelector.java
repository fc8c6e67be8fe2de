package io.clawmesh.coordinator.routing;

import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Picks one node among candidates with a rule's strategy. */
@Component
public class NodeSelector {

    private final InflightTracker inflight;

    private final Supplier<RandomGenerator> random;

    private final Map<String, AtomicLong> roundRobin = new ConcurrentHashMap<>();

    @Autowired
    public NodeSelector(InflightTracker inflight) {
        this(inflight, ThreadLocalRandom::current);
    }

    NodeSelector(InflightTracker inflight, Supplier<RandomGenerator> random) {
        this.inflight = inflight;
        this.random = random;
    }

    /**
     * Picks a node.
     *
     * @param key keeps round-robin state apart per rule
     * @param sessionKey the message's session, for {@link Strategy#STICKY}
     */
    public Node select(Strategy strategy, String key, List<Node> candidates, @Nullable String sessionKey) {
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        return switch (strategy) {
            case LEAST_BUSY -> leastBusy(candidates);
            case ROUND_ROBIN -> roundRobin(key, candidates);
            case RANDOM -> candidates.get(this.random.get().nextInt(candidates.size()));
            case WEIGHTED -> weighted(candidates);
            case STICKY -> (sessionKey != null) ? rendezvous(sessionKey, candidates) : leastBusy(candidates);
        };
    }

    /** In flight to a node as best known ({@link InflightTracker#load}). */
    public int load(Node node) {
        return this.inflight.load(node);
    }

    private Node leastBusy(List<Node> candidates) {
        RandomGenerator random = this.random.get();
        Node best = null;
        int bestLoad = 0;
        int ties = 0;
        for (Node node : candidates) {
            int load = load(node);
            int order = (best == null)
                    ? -1
                    : Long.compare((long) load * best.capacity(), (long) bestLoad * node.capacity());
            if (order < 0) {
                best = node;
                bestLoad = load;
                ties = 1;
            } else if (order == 0 && random.nextInt(++ties) == 0) {
                // Reservoir sampling keeps each tied node equally likely, so equal nodes share the load.
                best = node;
                bestLoad = load;
            }
        }
        return best;
    }

    private Node roundRobin(String key, List<Node> candidates) {
        List<Node> ordered =
                candidates.stream().sorted(Comparator.comparing(Node::id)).toList();
        long turn =
                this.roundRobin.computeIfAbsent(key, (k) -> new AtomicLong()).getAndIncrement();
        return ordered.get((int) Math.floorMod(turn, (long) ordered.size()));
    }

    private Node weighted(List<Node> candidates) {
        long total = 0;
        for (Node node : candidates) {
            total += node.capacity();
        }
        long pick = this.random.get().nextLong(total);
        for (Node node : candidates) {
            pick -= node.capacity();
            if (pick < 0) {
                return node;
            }
        }
        return candidates.getLast();
    }

    /** Rendezvous (highest random weight) hashing: a session stays on its node while that node is a candidate. */
    private static Node rendezvous(String sessionKey, List<Node> candidates) {
        Node best = candidates.getFirst();
        long bestScore = Long.MIN_VALUE;
        for (Node node : candidates) {
            long score = score(sessionKey, node.id());
            if (score > bestScore || (score == bestScore && node.id().compareTo(best.id()) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    static long score(String sessionKey, String nodeId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (sessionKey + '\0' + nodeId).getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
