package io.clawmesh.coordinator.registry;

import io.clawmesh.coordinator.events.NodeRemovedElsewhere;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The in-memory view of the nodes table that reads and routing use. Losing it is harmless: it is rebuilt from the
 * database, and re-reads rows changed by other replicas every {@code mesh.registry.cache-refresh}, so its staleness
 * is bounded. Routing reads only {@link #routable()}, whose size does not depend on how many nodes are offline.
 */
@Component
public class NodeCache implements SmartInitializingSingleton {

    private static final Logger logger = LoggerFactory.getLogger(NodeCache.class);

    /** Re-read a little before the last refresh so writes committed during it are not missed. */
    private static final Duration REFRESH_OVERLAP = Duration.ofSeconds(2);

    private final Map<String, Node> byId = new ConcurrentHashMap<>();

    private final Map<String, String> idByName = new ConcurrentHashMap<>();

    private final Map<String, String> idByTokenHash = new ConcurrentHashMap<>();

    /**
     * Routable nodes. A ConcurrentHashMap never shrinks its table and iterates every bucket, so after many nodes left
     * it (10,000 registrations going offline) it is replaced by a right-sized copy: routing cost follows the routable
     * nodes, not the largest number there ever were.
     */
    private volatile Map<String, Node> routable = new ConcurrentHashMap<>();

    private volatile Collection<Node> routableView = Collections.unmodifiableCollection(this.routable.values());

    private int routableHighWater;

    private final NodeRepository repository;

    private final RegistryProperties properties;

    private final Clock clock;

    private final AtomicBoolean refreshing = new AtomicBoolean();

    /** Ids removed here recently: a refresh that read the row just before the delete must not resurrect it. */
    private final Map<String, Instant> recentlyRemoved = new ConcurrentHashMap<>();

    private volatile Instant lastRefresh = Instant.EPOCH;

    private volatile Instant lastFullRefresh = Instant.EPOCH;

    public NodeCache(NodeRepository repository, RegistryProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        refresh();
        logger.info("Loaded {} nodes from the database ({} routable)", this.byId.size(), this.routable.size());
    }

    public Optional<Node> get(String id) {
        return Optional.ofNullable(this.byId.get(id));
    }

    public Optional<Node> getByName(String name) {
        String id = this.idByName.get(name);
        return (id != null) ? get(id) : Optional.empty();
    }

    public Optional<Node> getByTokenHash(String tokenHash) {
        String id = this.idByTokenHash.get(tokenHash);
        return (id != null) ? get(id) : Optional.empty();
    }

    public Collection<Node> all() {
        return List.copyOf(this.byId.values());
    }

    public Collection<Node> routable() {
        return this.routableView;
    }

    synchronized void put(Node node) {
        Node previous = this.byId.put(node.id(), node);
        if (previous != null) {
            this.idByName.remove(previous.name(), previous.id());
            this.idByTokenHash.remove(previous.tokenHash(), previous.id());
        }
        this.idByName.put(node.name(), node.id());
        this.idByTokenHash.put(node.tokenHash(), node.id());
        if (node.status().routable()) {
            this.routable.put(node.id(), node);
            this.routableHighWater = Math.max(this.routableHighWater, this.routable.size());
        } else if (this.routable.remove(node.id()) != null) {
            shrinkRoutableIfSparse();
        }
    }

    synchronized void remove(String id) {
        this.recentlyRemoved.put(id, this.clock.instant());
        Node previous = this.byId.remove(id);
        if (this.routable.remove(id) != null) {
            shrinkRoutableIfSparse();
        }
        if (previous != null) {
            this.idByName.remove(previous.name(), id);
            this.idByTokenHash.remove(previous.tokenHash(), id);
        }
    }

    /** Another replica removed the node: its token must stop working here now, not at the next full refresh. */
    @EventListener
    void onRemovedElsewhere(NodeRemovedElsewhere removed) {
        if (this.byId.containsKey(removed.nodeId())) {
            remove(removed.nodeId());
            logger.debug("Node {} removed by another replica: dropped from this replica's cache", removed.nodeId());
        }
    }

    private void shrinkRoutableIfSparse() {
        if (this.routableHighWater >= 64 && this.routable.size() * 8 < this.routableHighWater) {
            Map<String, Node> copy = new ConcurrentHashMap<>(this.routable);
            this.routable = copy;
            this.routableView = Collections.unmodifiableCollection(copy.values());
            this.routableHighWater = copy.size();
        }
    }

    /**
     * Puts a node read from the database at {@code readAt}, unless this replica removed it after that read began
     * (the read saw a row that is gone now).
     */
    synchronized void putRead(Node node, Instant readAt) {
        Instant removedAt = this.recentlyRemoved.get(node.id());
        if (removedAt == null || removedAt.isBefore(readAt)) {
            put(node);
        }
    }

    private synchronized void apply(Node node) {
        Instant removedAt = this.recentlyRemoved.get(node.id());
        if (removedAt == null || node.statusChangedAt().isAfter(removedAt)) {
            put(node);
        }
    }

    /** Re-reads nodes changed since the last refresh; periodically re-reads them all to drop removed ones. */
    @Scheduled(
            fixedDelayString = "${mesh.registry.cache-refresh:1s}",
            initialDelayString = "${mesh.registry.cache-refresh:1s}")
    public void refresh() {
        if (!this.refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            Instant start = this.clock.instant();
            // The watermark is the database's clock, so replicas with skewed clocks miss nothing.
            Instant databaseStart = this.repository.databaseNow();
            if (this.lastFullRefresh.plus(this.properties.fullRefresh()).isBefore(start)) {
                List<Node> nodes = this.repository.findAll();
                Set<String> present = new HashSet<>();
                nodes.forEach((node) -> {
                    present.add(node.id());
                    apply(node);
                });
                // A node registered here after findAll() began is not in its answer: keep it.
                this.byId.values().stream()
                        .filter((node) -> !present.contains(node.id())
                                && node.registeredAt().isBefore(start))
                        .map(Node::id)
                        .toList()
                        .forEach(this::remove);
                this.lastFullRefresh = start;
            } else {
                this.repository
                        .findUpdatedSince(this.lastRefresh.minus(REFRESH_OVERLAP))
                        .forEach(this::apply);
            }
            this.lastRefresh = databaseStart;
            this.recentlyRemoved
                    .values()
                    .removeIf((removedAt) ->
                            removedAt.plus(REFRESH_OVERLAP.multipliedBy(2)).isBefore(start));
        } finally {
            this.refreshing.set(false);
        }
    }
}
