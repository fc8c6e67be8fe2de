package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.Names;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeValidator;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeRenewed;
import io.clawmesh.coordinator.events.NodeStatusChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The node registry: register, renew (heartbeat), cancel (deregister) and status transitions. Every change is a
 * targeted write to the database (compare-and-set where a race matters), after which the row is read back into
 * {@link NodeCache}, which serves reads and routing. Several replicas can share the database.
 */
@Service
public class NodeRegistry {

    private static final Logger logger = LoggerFactory.getLogger(NodeRegistry.class);

    private final NodeRepository repository;

    private final NodeCache cache;

    private final EndpointPolicy endpointPolicy;

    private final RegistryProperties properties;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    /** How long {@code --connect auto} waits for the agent's health answer before choosing outbound. */
    static final Duration AUTO_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final EndpointReachability reachability;

    /** Serialises registrations on this replica; across replicas the unique constraints decide. */
    private final ReentrantLock registrationLock = new ReentrantLock();

    public NodeRegistry(
            NodeRepository repository,
            NodeCache cache,
            EndpointPolicy endpointPolicy,
            RegistryProperties properties,
            Clock clock,
            ApplicationEventPublisher events) {
        this(
                repository,
                cache,
                endpointPolicy,
                new EndpointReachability(endpointPolicy, AUTO_PROBE_TIMEOUT),
                properties,
                clock,
                events);
    }

    @Autowired
    public NodeRegistry(
            NodeRepository repository,
            NodeCache cache,
            EndpointPolicy endpointPolicy,
            EndpointReachability reachability,
            RegistryProperties properties,
            Clock clock,
            ApplicationEventPublisher events) {
        this.reachability = reachability;
        this.repository = repository;
        this.cache = cache;
        this.endpointPolicy = endpointPolicy;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
    }

    /** Registers a node as an agent does, with the join token: {@link #register(RegisterNodeRequest, Registrant)}. */
    public RegisterNodeResponse register(RegisterNodeRequest request) {
        return register(request, Registrant.join());
    }

    /**
     * Registers a node, or takes over the node that holds the name (same id, new token, the endpoint and capabilities
     * of the request) when the registrant may: the operator always, a node token only for its own node (SPEC §5). A
     * join token gets a name only when no node holds it, that is after the node was removed or evicted; an offline
     * node still holds its name, so that whoever has the join token cannot take over a node by waiting for it to drop
     * out (or making it).
     *
     * @throws InvalidInputException when the request breaks the contract
     * @throws NodeNameConflictException when another node holds the name and the registrant may not take it over
     * @throws NodeScopeException when a node token asks for a name that is not its node's
     */
    public RegisterNodeResponse register(RegisterNodeRequest request, Registrant registrant) {
        String name = Names.requireName("name", request.name());
        Capabilities capabilities = NodeValidator.capabilities(request.capabilities());
        int capacity = validCapacity(request.capacity());
        RuntimeInfo runtime = NodeValidator.runtime(request.runtime(), RuntimeInfo.unknown());
        // Resolving and probing may take a while (DNS, auto's health probe): never while holding the lock.
        ConnectMode connect = connectMode(request);
        String endpoint = endpointOf(request, connect);
        this.registrationLock.lock();
        try {
            return registerLocked(
                    registrant, name, endpoint, capabilities, capacity, runtime, request.nodeId(), connect);
        } catch (DuplicateKeyException ex) {
            // Another replica registered the same name (or id) at the same moment.
            throw new NodeNameConflictException(name);
        } finally {
            this.registrationLock.unlock();
        }
    }

    private RegisterNodeResponse registerLocked(
            Registrant registrant,
            String name,
            String endpoint,
            Capabilities capabilities,
            int capacity,
            RuntimeInfo runtime,
            @Nullable String requestedId,
            ConnectMode connect) {
        String token = NodeTokens.newToken();
        Instant now = this.clock.instant();
        // An outbound node is reachable only through its connection: it starts offline and comes online when the
        // connection opens (AgentLinks), so nothing can route to it, or see it online, in between.
        NodeStatus status = connect == ConnectMode.OUTBOUND
                ? NodeStatus.OFFLINE
                : runtime.connected() ? NodeStatus.ONLINE : NodeStatus.DEGRADED;
        // What the agent just told us; id and registration time are filled in below.
        Node template = new Node(
                "",
                name,
                endpoint,
                capabilities,
                status,
                now,
                runtime,
                0,
                capacity,
                NodeCredentials.hash(token),
                now,
                now,
                connect);
        Optional<Node> existing = this.repository.findByName(name);
        if (registrant.kind() == Registrant.Kind.NODE
                && existing.map((old) -> !old.id().equals(registrant.nodeId())).orElse(true)) {
            throw new NodeScopeException("node tokens may only register their own node again: this token belongs to "
                    + registrant.nodeId() + ", and '" + name + "' is not its name. Register new nodes with the join"
                    + " token");
        }
        if (existing.isPresent()) {
            Node old = existing.get();
            if (!registrant.mayTakeOver(old.id())) {
                throw new NodeNameConflictException(name);
            }
            Node node = template.withIdentity(old.id(), old.registeredAt());
            if (!this.repository.replace(node)) {
                throw new NodeNameConflictException(name);
            }
            reload(node.id())
                    .ifPresent((registered) ->
                            this.events.publishEvent(new NodeRegistered(registered.ref(), old.status(), now)));
            logger.info(
                    "Node {} ({}) re-registered at {} with the {} token, {} -> {}",
                    name,
                    node.id(),
                    endpoint,
                    registrant.kind().name().toLowerCase(Locale.ROOT),
                    old.status().wireName(),
                    status.wireName());
            return new RegisterNodeResponse(node.id(), token, connect);
        }
        String id = chooseId(requestedId);
        Node node = template.withIdentity(id, now);
        this.repository.insert(node);
        reload(id).ifPresent((registered) -> this.events.publishEvent(new NodeRegistered(registered.ref(), null, now)));
        logger.info(
                "Node {} ({}) registered at {}: {} {}, gpu={}, {} GB, tags={}, skills={}",
                name,
                id,
                endpoint,
                capabilities.os(),
                capabilities.arch(),
                capabilities.gpu(),
                capabilities.memoryGb(),
                capabilities.tags(),
                capabilities.skills());
        return new RegisterNodeResponse(id, token, connect);
    }

    /**
     * The mode the node gets: as asked, {@code inbound} when not asked (agents before ADR 0010), and for {@code auto}
     * outbound unless the coordinator can reach the advertised endpoint.
     */
    private ConnectMode connectMode(RegisterNodeRequest request) {
        ConnectMode asked = (request.connect() != null) ? request.connect() : ConnectMode.INBOUND;
        if (asked != ConnectMode.AUTO) {
            return asked;
        }
        ConnectMode chosen =
                this.reachability.reachable(request.endpoint()) ? ConnectMode.INBOUND : ConnectMode.OUTBOUND;
        logger.info(
                "Node {} asked for --connect auto: {} ({})",
                request.name(),
                chosen.wireName(),
                (chosen == ConnectMode.INBOUND)
                        ? "its endpoint " + request.endpoint() + " answers"
                        : "its endpoint is not reachable from here; it dials out");
        return chosen;
    }

    /**
     * The endpoint to keep. An inbound node must have one the SSRF policy allows; an outbound node is never dialled, so
     * its endpoint is optional, shown as given (when well-formed) and never checked against the policy.
     */
    private String endpointOf(RegisterNodeRequest request, ConnectMode connect) {
        String raw = request.endpoint();
        if (connect == ConnectMode.OUTBOUND) {
            return (raw == null || raw.isBlank()) ? "" : Endpoint.parse(raw).toString();
        }
        Endpoint endpoint = Endpoint.parse((raw != null) ? raw : "");
        this.endpointPolicy.check(endpoint);
        return endpoint.toString();
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
        Capabilities capabilities = (request.capabilities() != null)
                ? NodeValidator.capabilities(request.capabilities())
                : node.capabilities();
        int capacity = (request.capacity() != null) ? validCapacity(request.capacity()) : node.capacity();
        int inflight = NodeValidator.inflight(request.inflight(), node.reportedInflight());
        RuntimeInfo runtime = NodeValidator.runtime(request.runtime(), node.runtime());
        NodeValidator.heartbeatStatus(request.status());
        NodeStatus status = reportedStatus(request.status(), runtime, inflight, capacity);
        if (node.outbound() && node.status() == NodeStatus.OFFLINE) {
            // only its connection brings an outbound node back (ADR 0010): without it, it cannot be reached
            status = NodeStatus.OFFLINE;
        }
        if (!this.repository.renew(id, capabilities, status, runtime, inflight, capacity, this.clock.instant())) {
            this.cache.remove(id);
            throw new NodeNotFoundException(id);
        }
        Node renewed = reload(id).orElseThrow(() -> new NodeNotFoundException(id));
        changed(node, renewed, "heartbeat");
        this.events.publishEvent(
                new NodeRenewed(renewed.ref(), renewed.reportedInflight(), renewed.capacity(), this.clock.instant()));
        return renewed;
    }

    /** Removes a node; its token stops working at once. */
    public void deregister(String id, String reason) {
        Node node = find(id).orElseThrow(() -> new NodeNotFoundException(id));
        boolean deleted = this.repository.delete(id);
        this.cache.remove(id);
        if (!deleted) {
            throw new NodeNotFoundException(id);
        }
        logger.info("Node {} ({}) removed: {}", node.name(), id, reason);
        this.events.publishEvent(new NodeRemoved(node.ref(), reason, this.clock.instant()));
    }

    /**
     * Moves a node to another status (health sweeps and probes) if it is still in the status this replica saw. A no-op
     * when the node is gone, already there, or changed meanwhile.
     *
     * @param heartbeatBefore when given, only if no heartbeat arrived since this instant (lease expiry)
     * @return the node as it is now, if it still exists
     */
    public Optional<Node> transition(String id, NodeStatus status, String reason, @Nullable Instant heartbeatBefore) {
        Optional<Node> current = find(id);
        if (current.isEmpty() || current.get().status() == status) {
            return current;
        }
        if (!this.repository.transition(id, current.get().status(), status, this.clock.instant(), heartbeatBefore)) {
            return reload(id);
        }
        Optional<Node> changed = reload(id);
        changed.ifPresent((node) -> changed(current.get(), node, reason));
        return changed;
    }

    /** Moves a node to another status if it is still in the status this replica saw. */
    public Optional<Node> transition(String id, NodeStatus status, String reason) {
        return transition(id, status, reason, null);
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
        RuntimeInfo newRuntime = NodeValidator.runtime(runtime, node.runtime());
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
        if (!this.repository.confirmAlive(id, status, newRuntime, renew, this.clock.instant())) {
            this.cache.remove(id);
            return Optional.empty();
        }
        Optional<Node> alive = reload(id);
        alive.ifPresent((changed) -> changed(node, changed, reason));
        return alive;
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

    /** Reads a node back from the database, after a change made outside the registry (a token rotation). */
    public Optional<Node> reloadNode(String id) {
        return reload(id);
    }

    /** Reads a node back from the database into the cache, so the cache holds what was committed. */
    private Optional<Node> reload(String id) {
        Instant readAt = this.clock.instant();
        Optional<Node> node = this.repository.findById(id);
        node.ifPresentOrElse((read) -> this.cache.putRead(read, readAt), () -> this.cache.remove(id));
        return node;
    }

    private String chooseId(@Nullable String requested) {
        if (requested != null
                && NodeTokens.isNodeId(requested)
                && this.repository.findById(requested).isEmpty()) {
            return requested;
        }
        return NodeTokens.newNodeId();
    }

    private int validCapacity(@Nullable Integer capacity) {
        return NodeValidator.capacity(capacity, this.properties.defaultCapacity(), this.properties.maxCapacity());
    }

    private static NodeStatus reportedStatus(
            @Nullable NodeStatus reported, RuntimeInfo runtime, int inflight, int capacity) {
        if (!runtime.connected() || reported == NodeStatus.DEGRADED) {
            return NodeStatus.DEGRADED;
        }
        return (reported == NodeStatus.BUSY || inflight >= capacity) ? NodeStatus.BUSY : NodeStatus.ONLINE;
    }

    /** Logs a status change and publishes it. */
    private void changed(Node before, Node after, String reason) {
        if (before.status() == after.status()) {
            return;
        }
        this.events.publishEvent(new NodeStatusChanged(after.ref(), before.status(), reason, this.clock.instant()));
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
