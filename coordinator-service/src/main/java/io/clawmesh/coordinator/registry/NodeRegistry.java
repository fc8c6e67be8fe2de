package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.Names;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.security.EndpointPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The node registry: register, renew (heartbeat), cancel (deregister) and status transitions. Every change is written
 * to the database first and then to {@link NodeCache}, which serves reads and routing.
 */
@Service
public class NodeRegistry {

    private static final Logger logger = LoggerFactory.getLogger(NodeRegistry.class);

    private final NodeRepository repository;

    private final NodeCache cache;

    private final EndpointPolicy endpointPolicy;

    private final RegistryProperties properties;

    private final Clock clock;

    public NodeRegistry(
            NodeRepository repository,
            NodeCache cache,
            EndpointPolicy endpointPolicy,
            RegistryProperties properties,
            Clock clock) {
        this.repository = repository;
        this.cache = cache;
        this.endpointPolicy = endpointPolicy;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Registers a node, or takes over an existing node of the same name when that node is offline or has the same
     * endpoint (same id, new token).
     *
     * @throws InvalidInputException when the request breaks the contract
     * @throws NodeNameConflictException when a live node elsewhere holds the name
     */
    public synchronized RegisterNodeResponse register(RegisterNodeRequest request) {
        String name = Names.requireName("name", request.name());
        Endpoint endpoint = Endpoint.parse((request.endpoint() != null) ? request.endpoint() : "");
        this.endpointPolicy.check(endpoint);
        Capabilities capabilities = validCapabilities(request.capabilities());
        int capacity = validCapacity(request.capacity());
        RuntimeInfo runtime = (request.runtime() != null) ? request.runtime() : RuntimeInfo.unknown();
        String token = NodeTokens.newToken();
        Instant now = this.clock.instant();
        NodeStatus status = runtime.connected() ? NodeStatus.ONLINE : NodeStatus.DEGRADED;
        Optional<Node> existing = this.repository.findByName(name);
        if (existing.isPresent()) {
            Node old = existing.get();
            if (old.status() != NodeStatus.OFFLINE && !old.endpoint().equals(endpoint.toString())) {
                throw new NodeNameConflictException(name, old.endpoint());
            }
            Node node = new Node(
                    old.id(),
                    name,
                    endpoint.toString(),
                    capabilities,
                    status,
                    now,
                    runtime,
                    0,
                    capacity,
                    NodeCredentials.hash(token),
                    old.registeredAt(),
                    now);
            this.repository.update(node, now);
            this.cache.put(node);
            logger.info(
                    "Node {} ({}) re-registered at {}, {} -> {}",
                    name,
                    node.id(),
                    node.endpoint(),
                    old.status().wireName(),
                    status.wireName());
            return new RegisterNodeResponse(node.id(), token);
        }
        String id = chooseId(request.nodeId());
        Node node = new Node(
                id,
                name,
                endpoint.toString(),
                capabilities,
                status,
                now,
                runtime,
                0,
                capacity,
                NodeCredentials.hash(token),
                now,
                now);
        this.repository.insert(node, now);
        this.cache.put(node);
        logger.info(
                "Node {} ({}) registered at {}: {} {}, gpu={}, {} GB, tags={}, skills={}",
                name,
                id,
                node.endpoint(),
                capabilities.os(),
                capabilities.arch(),
                capabilities.gpu(),
                capabilities.memoryGb(),
                capabilities.tags(),
                capabilities.skills());
        return new RegisterNodeResponse(id, token);
    }

    /**
     * Renews a node's lease with what its agent reports.
     *
     * @throws NodeNotFoundException when the coordinator does not know the node (the agent then re-registers)
     */
    public Node heartbeat(String id, HeartbeatRequest request) {
        Node node = this.cache
                .get(id)
                .or(() -> this.repository.findById(id))
                .orElseThrow(() -> new NodeNotFoundException(id));
        Capabilities capabilities =
                (request.capabilities() != null) ? validCapabilities(request.capabilities()) : node.capabilities();
        int capacity = (request.capacity() != null) ? validCapacity(request.capacity()) : node.capacity();
        int inflight = (request.inflight() != null) ? request.inflight() : node.reportedInflight();
        if (inflight < 0) {
            throw new InvalidInputException("inflight must not be negative");
        }
        RuntimeInfo runtime = (request.runtime() != null) ? request.runtime() : node.runtime();
        NodeStatus status = reportedStatus(request.status(), runtime, inflight, capacity);
        Instant now = this.clock.instant();
        Node renewed = new Node(
                        node.id(),
                        node.name(),
                        node.endpoint(),
                        capabilities,
                        node.status(),
                        now,
                        runtime,
                        inflight,
                        capacity,
                        node.tokenHash(),
                        node.registeredAt(),
                        node.statusChangedAt())
                .withStatus(status, now);
        if (!this.repository.update(renewed, now)) {
            this.cache.remove(id);
            throw new NodeNotFoundException(id);
        }
        this.cache.put(renewed);
        logTransition(node, renewed, "heartbeat");
        return renewed;
    }

    /** Removes a node; its token stops working at once. */
    public void deregister(String id, String reason) {
        Node node = find(id).orElseThrow(() -> new NodeNotFoundException(id));
        if (!this.repository.delete(id)) {
            this.cache.remove(id);
            throw new NodeNotFoundException(id);
        }
        this.cache.remove(id);
        logger.info("Node {} ({}) removed: {}", node.name(), id, reason);
    }

    /**
     * Moves a node to another status (health sweeps and probes). A no-op when the node is gone or already there.
     *
     * @return the node after the transition, if it still exists
     */
    public Optional<Node> transition(String id, NodeStatus status, String reason) {
        Optional<Node> current = find(id);
        if (current.isEmpty() || current.get().status() == status) {
            return current;
        }
        Instant now = this.clock.instant();
        Node changed = current.get().withStatus(status, now);
        if (!this.repository.update(changed, now)) {
            this.cache.remove(id);
            return Optional.empty();
        }
        this.cache.put(changed);
        logTransition(current.get(), changed, reason);
        return Optional.of(changed);
    }

    /**
     * Records a sign of life other than a heartbeat (a good probe): brings an offline node back, renews a lease that is
     * getting old, and follows the runtime's connected state. Writes only when something changes.
     *
     * @param renewBefore renew the lease when it was last renewed before this instant
     */
    public Optional<Node> confirmAlive(String id, @Nullable RuntimeInfo runtime, Instant renewBefore, String reason) {
        Optional<Node> current = find(id);
        if (current.isEmpty()) {
            return current;
        }
        Node node = current.get();
        RuntimeInfo newRuntime = (runtime != null) ? runtime : node.runtime();
        NodeStatus status;
        if (!newRuntime.connected()) {
            status = NodeStatus.DEGRADED;
        } else if (node.status() == NodeStatus.OFFLINE || node.status() == NodeStatus.DEGRADED) {
            status = NodeStatus.ONLINE;
        } else {
            status = node.status();
        }
        boolean renew = node.status() == NodeStatus.OFFLINE
                || node.lease().lastRenewal().isBefore(renewBefore);
        if (!renew && status == node.status() && newRuntime.equals(node.runtime())) {
            return current;
        }
        Instant now = this.clock.instant();
        Node alive = new Node(
                        node.id(),
                        node.name(),
                        node.endpoint(),
                        node.capabilities(),
                        node.status(),
                        renew ? now : node.lastHeartbeat(),
                        newRuntime,
                        node.reportedInflight(),
                        node.capacity(),
                        node.tokenHash(),
                        node.registeredAt(),
                        node.statusChangedAt())
                .withStatus(status, now);
        if (!this.repository.update(alive, now)) {
            this.cache.remove(id);
            return Optional.empty();
        }
        this.cache.put(alive);
        logTransition(node, alive, reason);
        return Optional.of(alive);
    }

    public Optional<Node> find(String id) {
        return this.cache.get(id);
    }

    /** Finds a node by id first, then by name. */
    public Optional<Node> findByIdOrName(String idOrName) {
        return this.cache.get(idOrName).or(() -> this.cache.getByName(idOrName));
    }

    public Optional<Node> findByTokenHash(String tokenHash) {
        return this.cache.getByTokenHash(tokenHash);
    }

    public Collection<Node> all() {
        return this.cache.all();
    }

    /** Nodes that automatic routing may consider: online or busy. Its size does not grow with offline nodes. */
    public Collection<Node> routable() {
        return this.cache.routable();
    }

    private String chooseId(@Nullable String requested) {
        if (requested != null
                && NodeTokens.isNodeId(requested)
                && this.repository.findById(requested).isEmpty()) {
            return requested;
        }
        return NodeTokens.newNodeId();
    }

    private Capabilities validCapabilities(@Nullable Capabilities capabilities) {
        if (capabilities == null) {
            return Capabilities.none();
        }
        if (capabilities.memoryGb() < 0 || capabilities.memoryGb() > 1_048_576) {
            throw new InvalidInputException("capabilities.memory_gb must be between 0 and 1048576");
        }
        if (capabilities.os().length() > 32 || capabilities.arch().length() > 32) {
            throw new InvalidInputException("capabilities.os and capabilities.arch must be at most 32 characters");
        }
        return new Capabilities(
                capabilities.os(),
                capabilities.arch(),
                capabilities.gpu(),
                capabilities.memoryGb(),
                Names.requireLabels("capabilities.tags", capabilities.tags()),
                Names.requireLabels("capabilities.skills", capabilities.skills()));
    }

    private int validCapacity(@Nullable Integer capacity) {
        if (capacity == null) {
            return this.properties.defaultCapacity();
        }
        if (capacity < 1 || capacity > this.properties.maxCapacity()) {
            throw new InvalidInputException(
                    "capacity must be between 1 and " + this.properties.maxCapacity() + ", not " + capacity);
        }
        return capacity;
    }

    private static NodeStatus reportedStatus(
            @Nullable NodeStatus reported, RuntimeInfo runtime, int inflight, int capacity) {
        if (!runtime.connected() || reported == NodeStatus.DEGRADED) {
            return NodeStatus.DEGRADED;
        }
        if (reported == NodeStatus.OFFLINE) {
            return NodeStatus.OFFLINE;
        }
        return (reported == NodeStatus.BUSY || inflight >= capacity) ? NodeStatus.BUSY : NodeStatus.ONLINE;
    }

    private static void logTransition(Node before, Node after, String reason) {
        if (before.status() == after.status()) {
            return;
        }
        if (before.status().routable() && after.status().routable()) {
            logger.debug(
                    "Node {} ({}) {} -> {}: {}",
                    after.name(),
                    after.id(),
                    before.status().wireName(),
                    after.status().wireName(),
                    reason);
        } else {
            logger.info(
                    "Node {} ({}) {} -> {}: {}",
                    after.name(),
                    after.id(),
                    before.status().wireName(),
                    after.status().wireName(),
                    reason);
        }
    }
}
