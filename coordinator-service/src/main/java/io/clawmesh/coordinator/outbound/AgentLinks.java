package io.clawmesh.coordinator.outbound;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.events.NodeRef;
import io.clawmesh.coordinator.events.NodeRegistered;
import io.clawmesh.coordinator.events.NodeRenewed;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * The outbound agents connected to this coordinator, one connection per node: a newer connection replaces an older
 * one (the agent reconnected while its old connection had not been seen to drop yet). A connection that drops marks
 * its node offline after {@code mesh.outbound.grace} unless the agent reconnects meanwhile.
 */
@Component
public class AgentLinks implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(AgentLinks.class);

    /** The close status that tells an agent its connection was replaced by a newer one. */
    static final CloseStatus REPLACED = new CloseStatus(4000, "replaced by a newer connection of the same node");

    private final Map<String, AgentLink> links = new ConcurrentHashMap<>();

    private final NodeRegistry registry;

    private final OutboundProperties properties;

    private final Clock clock;

    private final ApplicationEventPublisher publisher;

    private final ObjectProvider<LinkHolders> holders;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("mesh-outbound-grace").factory());

    public AgentLinks(
            NodeRegistry registry,
            OutboundProperties properties,
            Clock clock,
            ApplicationEventPublisher publisher,
            ObjectProvider<LinkHolders> holders) {
        this.registry = registry;
        this.publisher = publisher;
        this.holders = holders;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Sends a request to an outbound node.
     *
     * @throws LinkLostException (not accepted) when the node has no open connection here, or it broke while sending
     */
    public LinkExchange exchange(
            Node node, String method, String path, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws LinkLostException {
        AgentLink link = this.links.get(node.id());
        if (link == null) {
            throw new LinkLostException(
                    false, node.name() + " is an outbound node without an open connection to this coordinator");
        }
        return link.open(method, path, headers, body, readTimeout);
    }

    /** Whether the node holds a connection to this coordinator. */
    public boolean connected(String nodeId) {
        return this.links.containsKey(nodeId);
    }

    /** How many outbound agents are connected. */
    public int count() {
        return this.links.size();
    }

    Optional<AgentLink> find(String nodeId) {
        return Optional.ofNullable(this.links.get(nodeId));
    }

    /** A connection opened: it serves the node from now on, and the node is alive. */
    void attach(AgentLink link) {
        AgentLink previous = this.links.put(link.nodeId(), link);
        if (previous != null) {
            logger.info("Node {}: a newer connection replaces the open one", link.nodeId());
            previous.closed("replaced by a newer connection");
            previous.close(REPLACED);
        }
        // where the link is, before anything can route to the node: the other replicas relay through this one
        this.publisher.publishEvent(new AgentLinkOpened(link.nodeId()));
        this.registry.confirmAlive(link.nodeId(), null, this.clock.instant(), "outbound connection opened");
    }

    /**
     * A heartbeat came up an open connection of a node that is offline (its lease ran out while the connection
     * stayed open, a pause longer than the heartbeat timeout): the connection reaches it, so it is back.
     */
    void heartbeatOnOpenConnection(AgentLink link) {
        if (this.links.get(link.nodeId()) == link) {
            this.registry.confirmAlive(
                    link.nodeId(), null, this.clock.instant(), "heartbeat on its open outbound connection");
        }
    }

    /** A connection closed: its exchanges fail, and the node goes offline after the grace unless it reconnects. */
    void detach(AgentLink link, String reason) {
        link.closed(reason);
        if (!this.links.remove(link.nodeId(), link)) {
            return;
        }
        this.publisher.publishEvent(new AgentLinkClosed(link.nodeId()));
        Duration grace = this.properties.grace();
        logger.info(
                "Node {}: outbound connection closed ({}); offline in {} ms unless it reconnects",
                link.nodeId(),
                reason,
                grace.toMillis());
        this.timer.schedule(() -> expire(link.nodeId(), grace), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire(String nodeId, Duration grace) {
        if (this.links.containsKey(nodeId)) {
            return;
        }
        try {
            this.registry.transition(
                    nodeId,
                    NodeStatus.OFFLINE,
                    "outbound connection lost and not back within " + grace.toMillis() + " ms (mesh.outbound.grace)");
        } catch (RuntimeException ex) {
            logger.warn("Node {}: could not mark it offline after its connection dropped: {}", nodeId, ex.toString());
        }
    }

    /** A node that registered as outbound is routable only once its connection is open here. */
    @EventListener
    void onRegistered(NodeRegistered registered) {
        // The registry saves an outbound node offline; one that registers again over an open connection is back.
        if (this.links.containsKey(registered.node().id())) {
            this.registry.confirmAlive(
                    registered.node().id(), null, this.clock.instant(), "registered with its connection open");
            return;
        }
        requireConnection(registered.node(), "registered; waiting for its outbound connection");
    }

    /**
     * A heartbeat over HTTP renews the lease but cannot make an outbound node without a connection routable: the
     * coordinator has no other way to reach it.
     */
    @EventListener
    void onRenewed(NodeRenewed renewed) {
        requireConnection(renewed.node(), "heartbeat, but no outbound connection");
    }

    private void requireConnection(NodeRef ref, String reason) {
        if (ref.status() == NodeStatus.OFFLINE || this.links.containsKey(ref.id())) {
            return;
        }
        LinkHolders elsewhere = this.holders.getIfAvailable();
        if (elsewhere != null && elsewhere.heldByAnotherReplica(ref.id())) {
            // its connection is on another replica, which relays to it: routable
            return;
        }
        this.registry
                .find(ref.id())
                .filter(Node::outbound)
                .ifPresent((node) -> this.registry.transition(node.id(), NodeStatus.OFFLINE, reason));
    }

    @Override
    public void destroy() {
        this.timer.shutdownNow();
        this.links.values().forEach((link) -> link.close(CloseStatus.GOING_AWAY));
    }
}
