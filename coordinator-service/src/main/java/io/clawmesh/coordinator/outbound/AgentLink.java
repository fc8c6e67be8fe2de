package io.clawmesh.coordinator.outbound;

import io.clawmesh.common.link.BodyPieces;
import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.json.JsonMapper;

/**
 * One outbound agent's open WebSocket: sends requests down as frames and hands the frames that come up to their
 * exchanges. The session is a bounded, time-limited sending decorator, so a sender never waits for a slow agent and a
 * stuck one is disconnected; bodies go in pieces, so exchanges on one connection interleave.
 */
public final class AgentLink {

    private static final Logger logger = LoggerFactory.getLogger(AgentLink.class);

    private final String nodeId;

    private final WebSocketSession session;

    private final JsonMapper json;

    private final long maxBufferedReply;

    /** Whether the agent speaks link version 2 (first body piece and {@code last} on heads). */
    private final boolean compact;

    private final Map<String, LinkExchange> exchanges = new ConcurrentHashMap<>();

    private final AtomicLong ids = new AtomicLong();

    private volatile boolean closed;

    AgentLink(String nodeId, WebSocketSession session, JsonMapper json, long maxBufferedReply, int version) {
        this.nodeId = nodeId;
        this.session = session;
        this.json = json;
        this.maxBufferedReply = maxBufferedReply;
        this.compact = version >= LinkFrame.VERSION;
    }

    public String nodeId() {
        return this.nodeId;
    }

    /** Whether the agent announced link version 2. */
    boolean compact() {
        return this.compact;
    }

    /** Exchanges waiting for an answer or reading one. */
    int openExchanges() {
        return this.exchanges.size();
    }

    /**
     * Sends a request down: its head, its body in pieces, its end. To an agent that speaks link version 2 the head
     * carries the first piece and the last piece says it is the last, so a small request is one frame.
     *
     * @param readTimeout how long the answer may stay silent
     * @throws LinkLostException (not accepted) when the connection is closed or breaks while sending
     */
    LinkExchange open(String method, String path, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws LinkLostException {
        String id = "x" + Long.toString(this.ids.incrementAndGet(), 36);
        LinkExchange exchange = new LinkExchange(id, this, readTimeout, this.maxBufferedReply);
        this.exchanges.put(id, exchange);
        try {
            if (this.closed) {
                throw new IOException("the connection is closed");
            }
            List<String> pieces = BodyPieces.split(body, LinkFrame.MAX_DATA_CHARS);
            if (this.compact) {
                send(LinkFrame.request(
                        id, method, path, headers, pieces.isEmpty() ? null : pieces.getFirst(), pieces.size() <= 1));
                for (int i = 1; i < pieces.size(); i++) {
                    String piece = pieces.get(i);
                    send((i == pieces.size() - 1) ? LinkFrame.lastBody(id, piece) : LinkFrame.body(id, piece));
                }
            } else {
                send(LinkFrame.request(id, method, path, headers));
                for (String piece : pieces) {
                    send(LinkFrame.body(id, piece));
                }
                send(LinkFrame.of(LinkFrame.END, id));
            }
        } catch (IOException | RuntimeException ex) {
            this.exchanges.remove(id);
            throw new LinkLostException(false, "could not send to the agent: " + ex.getMessage());
        }
        return exchange;
    }

    /** Hands a frame that came up to its exchange; frames of exchanges already given up are dropped. */
    void receive(LinkFrame frame) {
        String id = frame.id();
        LinkExchange exchange = (id != null) ? this.exchanges.get(id) : null;
        if (exchange == null) {
            logger.debug("Node {}: '{}' frame for no open exchange ({}) dropped", this.nodeId, frame.type(), id);
            return;
        }
        exchange.receive(frame);
    }

    /** The exchange read its answer to the end. */
    void forget(String id) {
        this.exchanges.remove(id);
    }

    /** The exchange was given up before its end: the agent is told, best effort. */
    void abandon(String id) {
        if (this.exchanges.remove(id) != null && !this.closed) {
            try {
                send(LinkFrame.reset(id, "the coordinator gave up the exchange"));
            } catch (IOException | RuntimeException ex) {
                logger.debug("Node {}: could not send a reset for {}: {}", this.nodeId, id, ex.toString());
            }
        }
    }

    /** The connection closed: every exchange on it fails, saying whether the agent had accepted it. */
    void closed(String reason) {
        this.closed = true;
        for (LinkExchange exchange : this.exchanges.values()) {
            exchange.lost("the connection to the agent dropped (" + reason + ")");
        }
        this.exchanges.clear();
    }

    /** Closes the connection from this side. */
    void close(CloseStatus status) {
        try {
            this.session.close(status);
        } catch (IOException ex) {
            logger.debug("Node {}: closing the connection failed: {}", this.nodeId, ex.toString());
        }
    }

    /** Hands the agent a new node token (ADR 0014), the reply to its heartbeat frame. */
    void sendNodeToken(String token) throws IOException {
        send(LinkFrame.nodeToken(token));
    }

    private void send(LinkFrame frame) throws IOException {
        this.session.sendMessage(new TextMessage(this.json.writeValueAsString(frame)));
    }
}
