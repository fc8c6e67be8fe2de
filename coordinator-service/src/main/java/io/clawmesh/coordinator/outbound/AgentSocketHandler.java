package io.clawmesh.coordinator.outbound;

import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeTokenRotation;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's end of {@code GET /api/v1/nodes/{id}/connect} once upgraded: registers the connection, hands the
 * frames that come up to their exchanges or takes heartbeats (answering one with a {@code node-token} frame when a
 * rotation is due, ADR 0014), and closes the connection on a frame it cannot read.
 */
class AgentSocketHandler extends TextWebSocketHandler {

    private static final Logger logger = LoggerFactory.getLogger(AgentSocketHandler.class);

    /** The session attribute that carries the node id the handshake checked. */
    static final String NODE_ID = "clawmesh.node-id";

    /** The session attribute that carries the link version the agent announced (1 or more). */
    static final String LINK_VERSION = "clawmesh.link-version";

    private static final String LINK = "clawmesh.link";

    private static final String PARTIAL = "clawmesh.partial-frame";

    /**
     * Characters of the container's receive buffer per connection: Tomcat allocates it whole for every connection
     * (a buffer the size of the largest frame cost 512 KiB a connection, and 2,000 idle agents did not fit in 512 MiB
     * of heap); larger frames arrive in pieces.
     */
    static final int RECEIVE_BUFFER_CHARS = 8 * 1024;

    /** The largest frame accepted, joined from its pieces; a larger one closes the connection with 1009. */
    static final int MAX_FRAME_CHARS = LinkFrame.MAX_FRAME_CHARS * 2;

    /** Sent when the coordinator no longer knows the node: the agent registers again. */
    static final CloseStatus UNKNOWN_NODE = new CloseStatus(4004, "the coordinator does not know this node");

    private final AgentLinks links;

    private final NodeRegistry registry;

    private final OutboundProperties properties;

    private final JsonMapper json;

    private final NodeTokenRotation rotation;

    AgentSocketHandler(
            AgentLinks links,
            NodeRegistry registry,
            NodeTokenRotation rotation,
            OutboundProperties properties,
            JsonMapper json) {
        this.rotation = rotation;
        this.links = links;
        this.registry = registry;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        String nodeId = Objects.requireNonNull((String) session.getAttributes().get(NODE_ID));
        WebSocketSession bounded = new ConcurrentWebSocketSessionDecorator(
                session, (int) this.properties.sendTimeLimit().toMillis(), (int) Math.min(
                        Integer.MAX_VALUE, this.properties.sendBufferSize().toBytes()));
        Object version = session.getAttributes().get(LINK_VERSION);
        AgentLink link = new AgentLink(
                nodeId,
                bounded,
                this.json,
                this.properties.maxBufferedReply().toBytes(),
                (version instanceof Integer number) ? number : 1);
        session.getAttributes().put(LINK, link);
        this.links.attach(link);
        logger.info(
                "Node {} connected from {} (link version {})",
                nodeId,
                session.getRemoteAddress(),
                link.compact() ? LinkFrame.VERSION : 1);
    }

    /** Frames may arrive in pieces: a frame is joined here, so the container's buffer per connection stays small. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        StringBuilder partial = (StringBuilder) session.getAttributes().get(PARTIAL);
        if (message.isLast() && partial == null) {
            handleFrame(session, message.getPayload());
            return;
        }
        if (partial == null) {
            partial = new StringBuilder();
            session.getAttributes().put(PARTIAL, partial);
        }
        if (partial.length() + message.getPayloadLength() > MAX_FRAME_CHARS) {
            session.getAttributes().remove(PARTIAL);
            session.close(
                    CloseStatus.TOO_BIG_TO_PROCESS.withReason("a frame is at most " + MAX_FRAME_CHARS + " chars"));
            return;
        }
        partial.append(message.getPayload());
        if (message.isLast()) {
            session.getAttributes().remove(PARTIAL);
            handleFrame(session, partial.toString());
        }
    }

    private void handleFrame(WebSocketSession session, String payload) throws Exception {
        AgentLink link = (AgentLink) session.getAttributes().get(LINK);
        if (link == null) {
            return;
        }
        LinkFrame frame;
        try {
            frame = this.json.readValue(payload, LinkFrame.class);
        } catch (JacksonException ex) {
            logger.warn("Node {} sent a frame that is not one: {}", link.nodeId(), ex.getOriginalMessage());
            session.close(CloseStatus.BAD_DATA.withReason("not a frame: " + shorten(ex.getOriginalMessage())));
            return;
        }
        if (frame.type() == null) {
            session.close(CloseStatus.BAD_DATA.withReason("a frame needs a type"));
            return;
        }
        if (LinkFrame.HEARTBEAT.equals(frame.type())) {
            heartbeat(session, link, frame);
            return;
        }
        link.receive(frame);
    }

    private void heartbeat(WebSocketSession session, AgentLink link, LinkFrame frame) throws Exception {
        if (frame.heartbeat() == null) {
            session.close(CloseStatus.BAD_DATA.withReason("a heartbeat frame needs a heartbeat"));
            return;
        }
        try {
            Node node = this.registry.heartbeat(link.nodeId(), frame.heartbeat());
            if (node.status() == NodeStatus.OFFLINE) {
                this.links.heartbeatOnOpenConnection(link);
            }
            Optional<String> token = this.rotation.afterHeartbeat(node);
            if (token.isPresent()) {
                link.sendNodeToken(token.get());
            }
        } catch (NodeNotFoundException ex) {
            session.close(UNKNOWN_NODE);
        } catch (InvalidInputException ex) {
            logger.warn("Node {} sent a heartbeat the coordinator refuses: {}", link.nodeId(), ex.getMessage());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        logger.debug("Transport error on {}: {}", session.getAttributes().get(NODE_ID), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        AgentLink link = (AgentLink) session.getAttributes().get(LINK);
        if (link != null) {
            this.links.detach(
                    link,
                    "close code " + status.getCode()
                            + ((status.getReason() != null
                                            && !status.getReason().isEmpty())
                                    ? ", " + status.getReason()
                                    : ""));
        }
    }

    private static String shorten(String text) {
        // a close reason is at most 123 bytes
        return (text.length() > 80) ? text.substring(0, 80) : text;
    }
}
