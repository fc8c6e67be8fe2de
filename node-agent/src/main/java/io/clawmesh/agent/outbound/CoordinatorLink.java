package io.clawmesh.agent.outbound;

import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open WebSocket to the coordinator: reads the frames that come down, assembles each request and hands it to the
 * agent's own API ({@link AgentHttpServer#serve}) on a virtual thread of its own, acknowledging it first, so a long
 * run never holds the socket. Knows when it last heard from the coordinator, for the watchdog.
 */
final class CoordinatorLink implements WebSocket.Listener {

    private static final Logger logger = LoggerFactory.getLogger(CoordinatorLink.class);

    /** The largest request body the coordinator sends (a message holds at most 1 MiB of content, JSON-escaped). */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private final AgentHttpServer server;

    private final JsonMapper json;

    private final Clock clock;

    private final Map<String, LinkedExchange> exchanges = new ConcurrentHashMap<>();

    /** Exchanges handed to the API and not finished yet, so a reset reaches them. */
    private final Map<String, LinkedExchange> running = new ConcurrentHashMap<>();

    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private final StringBuilder partial = new StringBuilder();

    private volatile @Nullable FrameSender sender;

    private volatile @Nullable WebSocket socket;

    private volatile Instant lastHeard;

    private final Duration sendTimeout;

    private final Consumer<String> nodeTokens;

    private CoordinatorLink(
            AgentHttpServer server, JsonMapper json, Clock clock, Duration sendTimeout, Consumer<String> nodeTokens) {
        this.nodeTokens = nodeTokens;
        this.sendTimeout = sendTimeout;
        this.server = server;
        this.json = json;
        this.clock = clock;
        this.lastHeard = clock.instant();
    }

    /**
     * Opens the WebSocket with the node token.
     *
     * @param nodeTokens takes a new node token the coordinator hands down (ADR 0014)
     *
     * @throws IOException when the coordinator cannot be reached or refuses the connection
     *     ({@link java.net.http.WebSocketHandshakeException} carries its status)
     */
    static CoordinatorLink open(
            HttpClient client,
            URI uri,
            String nodeToken,
            AgentHttpServer server,
            JsonMapper json,
            Clock clock,
            Duration timeout,
            Consumer<String> nodeTokens)
            throws IOException {
        CoordinatorLink link = new CoordinatorLink(server, json, clock, timeout, nodeTokens);
        try {
            client.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + nodeToken)
                    // heads with their first body piece and "last" save frames; a coordinator before it ignores this
                    .header(LinkFrame.VERSION_HEADER, Integer.toString(LinkFrame.VERSION))
                    .connectTimeout(timeout)
                    .buildAsync(uri, link)
                    .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return link;
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            throw (cause instanceof IOException io) ? io : new IOException(String.valueOf(cause), cause);
        } catch (TimeoutException ex) {
            throw new IOException("the coordinator did not complete the handshake in time");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", ex);
        }
    }

    /** Completes with the reason when the connection closes or breaks. */
    CompletableFuture<String> closed() {
        return this.closed;
    }

    Instant lastHeard() {
        return this.lastHeard;
    }

    /** Sends a frame up (a heartbeat); fails when the connection is gone. */
    void send(LinkFrame frame) throws IOException {
        FrameSender current = this.sender;
        if (current == null) {
            throw new IOException("not connected");
        }
        current.send(frame);
    }

    void ping() {
        WebSocket current = this.socket;
        if (current != null) {
            current.sendPing(ByteBuffer.allocate(0));
        }
    }

    /** Closes the connection from this side, at once. */
    void abort(String reason) {
        WebSocket current = this.socket;
        if (current != null) {
            current.abort();
        }
        end(reason);
    }

    /** Waits until no exchange runs any more, at most {@code grace}; answers whether none does. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        Instant end = this.clock.instant().plus(grace);
        while (!this.running.isEmpty() && this.clock.instant().isBefore(end) && !this.closed.isDone()) {
            Thread.sleep(50);
        }
        return this.running.isEmpty();
    }

    /** Closes the connection politely (shutdown). */
    void close() {
        WebSocket current = this.socket;
        if (current != null) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "agent stops");
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        // before the first frame: the coordinator may send a request the moment it accepted the connection
        this.socket = webSocket;
        this.sender = new FrameSender(webSocket, this.json, this.sendTimeout);
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        this.lastHeard = this.clock.instant();
        this.partial.append(data);
        if (this.partial.length() > LinkFrame.MAX_FRAME_CHARS * 2) {
            logger.warn(
                    "The coordinator sent a frame larger than {} characters; reconnecting", LinkFrame.MAX_FRAME_CHARS);
            abort("oversized frame");
            return null;
        }
        if (last) {
            String text = this.partial.toString();
            this.partial.setLength(0);
            receive(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        this.lastHeard = this.clock.instant();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        this.lastHeard = this.clock.instant();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end("closed by the coordinator: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("broke: " + error);
    }

    private void receive(String text) {
        LinkFrame frame;
        try {
            frame = this.json.readValue(text, LinkFrame.class);
        } catch (JacksonException ex) {
            logger.warn("The coordinator sent a frame that is not one ({}); ignored", ex.getOriginalMessage());
            return;
        }
        if (LinkFrame.NODE_TOKEN.equals(frame.type()) && frame.data() != null) {
            String token = frame.data();
            // storing it waits for the registrar, which may be in a heartbeat: never on the socket's receiving thread
            Thread.ofVirtual().name("mesh-node-token").start(() -> this.nodeTokens.accept(token));
            return;
        }
        String id = frame.id();
        FrameSender current = this.sender;
        if (id == null || current == null) {
            return;
        }
        switch (frame.type()) {
            case LinkFrame.REQUEST -> {
                LinkedExchange exchange = new LinkedExchange(frame, current);
                this.exchanges.put(id, exchange);
                take(current, exchange, frame);
            }
            case LinkFrame.BODY -> {
                LinkedExchange exchange = this.exchanges.get(id);
                if (exchange != null) {
                    take(current, exchange, frame);
                }
            }
            case LinkFrame.END -> {
                LinkedExchange exchange = this.exchanges.remove(id);
                if (exchange != null) {
                    start(current, exchange);
                }
            }
            case LinkFrame.RESET -> {
                LinkedExchange exchange = this.exchanges.remove(id);
                if (exchange != null) {
                    exchange.reset();
                }
                this.running.computeIfPresent(id, (key, running) -> {
                    running.reset();
                    return null;
                });
            }
            default -> logger.debug("Frame '{}' from the coordinator ignored", frame.type());
        }
    }

    /** Takes a request's body piece, if the frame has one, and runs the request when the frame ends its body. */
    private void take(FrameSender sender, LinkedExchange exchange, LinkFrame frame) {
        String id = exchange.id();
        if (frame.data() != null && !exchange.append(frame.data(), MAX_REQUEST_BYTES)) {
            this.exchanges.remove(id);
            refuse(sender, id, "request body larger than " + MAX_REQUEST_BYTES + " bytes");
            return;
        }
        if (frame.ends() && this.exchanges.remove(id) != null) {
            start(sender, exchange);
        }
    }

    private void start(FrameSender sender, LinkedExchange exchange) {
        Thread.ofVirtual().name("mesh-link-" + exchange.id()).start(() -> run(sender, exchange));
    }

    private void run(FrameSender sender, LinkedExchange exchange) {
        this.running.put(exchange.id(), exchange);
        try {
            // taken: from here on the coordinator never sends this request to another node
            sender.send(LinkFrame.of(LinkFrame.ACK, exchange.id()));
            this.server.serve(exchange);
        } catch (IOException ex) {
            logger.debug("Exchange {} not served: {}", exchange.id(), ex.getMessage());
        } finally {
            this.running.remove(exchange.id());
        }
    }

    private static void refuse(FrameSender sender, String id, String reason) {
        try {
            sender.send(LinkFrame.reset(id, reason));
        } catch (IOException ex) {
            // the connection is gone anyway
        }
    }

    private void end(String reason) {
        this.running.values().forEach(LinkedExchange::reset);
        this.closed.complete(reason);
    }
}
