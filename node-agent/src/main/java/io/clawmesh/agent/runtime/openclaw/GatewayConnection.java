package io.clawmesh.agent.runtime.openclaw;

import java.net.http.WebSocket;
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
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One WebSocket to the gateway after its handshake ({@link GatewayHandshake}): sends {@code req} frames and routes
 * what comes back. A {@code res} goes to the inbox of its request id (an {@code agent} request gets two), an
 * {@code agent} event to the inbox of its {@code runId} (every operator connection sees every run's events, so the
 * rest are dropped), and the close to every inbox still waiting.
 */
final class GatewayConnection implements WebSocket.Listener {

    private static final Logger logger = LoggerFactory.getLogger(GatewayConnection.class);

    private final JsonMapper json;

    private final Clock clock;

    private final Map<String, Inbox> byRequestId = new ConcurrentHashMap<>();

    private final Map<String, Inbox> byRunId = new ConcurrentHashMap<>();

    private final Map<String, Inbox> bySession = new ConcurrentHashMap<>();

    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private final AtomicLong ids = new AtomicLong();

    private final StringBuilder partial = new StringBuilder();

    private volatile @Nullable WebSocket socket;

    private volatile Instant lastFrame;

    private volatile int closeCode = -1;

    GatewayConnection(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        this.lastFrame = clock.instant();
    }

    /** Sends a request whose answers go to {@code inbox}; returns its id. */
    String request(String method, ObjectNode params, Inbox inbox) {
        String id = "claw-mesh-" + this.ids.incrementAndGet();
        this.byRequestId.put(id, inbox);
        if (this.closed.isDone()) {
            inbox.connectionClosed(this.closed.getNow("closed"));
        }
        ObjectNode frame = this.json.createObjectNode();
        frame.put("type", "req").put("id", id).put("method", method).set("params", params);
        sendText(this.json.writeValueAsString(frame));
        return id;
    }

    /** Routes the answers of a request id the caller chose (the handshake's) to {@code inbox}. */
    void expect(String id, Inbox inbox) {
        this.byRequestId.put(id, inbox);
    }

    /** Stops routing answers of request {@code id}. */
    void forgetRequest(String id) {
        this.byRequestId.remove(id);
    }

    /** Routes the {@code agent} events of {@code runId} to {@code inbox}. */
    void trackRun(String runId, Inbox inbox) {
        this.byRunId.put(runId, inbox);
        if (this.closed.isDone()) {
            inbox.connectionClosed(this.closed.getNow("closed"));
        }
    }

    void forgetRun(String runId) {
        this.byRunId.remove(runId);
    }

    /** Routes the {@code agent} events of untracked runs in session {@code sessionKey} to {@code inbox}. */
    void trackSession(String sessionKey, Inbox inbox) {
        this.bySession.put(sessionKey, inbox);
    }

    void forgetSession(String sessionKey) {
        this.bySession.remove(sessionKey);
    }

    ObjectNode params() {
        return this.json.createObjectNode();
    }

    boolean isOpen() {
        return !this.closed.isDone();
    }

    /** Completes with why the connection ended (close code and reason, or the error). */
    CompletableFuture<String> closed() {
        return this.closed;
    }

    /** The close code the gateway sent, {@code -1} while open or after an error. */
    int closeCode() {
        return this.closeCode;
    }

    /** How long nothing came from the gateway (ticks arrive every {@code tickIntervalMs}). */
    Duration silence() {
        return Duration.between(this.lastFrame, this.clock.instant());
    }

    /** Closes politely (close frame 1000) and stops waiting for the gateway's answer after a second. */
    void close(String reason) {
        WebSocket current = this.socket;
        if (current != null && !this.closed.isDone()) {
            try {
                current.sendClose(WebSocket.NORMAL_CLOSURE, reason).get(1, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ex) {
                logger.debug("Close frame not sent: {}", ex.toString());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            current.abort();
        }
        ended("closed by the agent (" + reason + ")");
    }

    /** Drops the connection at once, without a close handshake (a dead link). */
    void abort(String why) {
        WebSocket current = this.socket;
        if (current != null) {
            current.abort();
        }
        ended(why);
    }

    void sendText(String text) {
        WebSocket current = this.socket;
        if (current == null || this.closed.isDone()) {
            throw new GatewayConnectionLostException("the gateway connection is closed");
        }
        synchronized (this) {
            try {
                // the JDK WebSocket allows one outstanding send at a time
                current.sendText(text, true).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ex) {
                abort("sending to the gateway failed: " + ex.getMessage());
                throw new GatewayConnectionLostException("sending to the gateway failed: " + ex.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new GatewayConnectionLostException("interrupted while sending to the gateway");
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        this.lastFrame = this.clock.instant();
        this.partial.append(data);
        if (last) {
            String text = this.partial.toString();
            this.partial.setLength(0);
            dispatch(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        this.lastFrame = this.clock.instant();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        this.closeCode = statusCode;
        ended("gateway closed the connection: " + statusCode + (reason.isEmpty() ? "" : " \"" + reason + "\""));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended("connection error: " + error);
    }

    private void dispatch(String text) {
        JsonNode frame;
        try {
            frame = this.json.readTree(text);
        } catch (JacksonException ex) {
            logger.warn("Ignoring a gateway frame that is not JSON: {}", ex.getOriginalMessage());
            return;
        }
        String type = frame.path("type").asString("");
        if ("res".equals(type)) {
            Inbox inbox = this.byRequestId.get(frame.path("id").asString(""));
            if (inbox != null) {
                inbox.deliver(frame);
            }
        } else if ("event".equals(type)) {
            onEvent(frame);
        }
    }

    private void onEvent(JsonNode frame) {
        String event = frame.path("event").asString("");
        JsonNode payload = frame.path("payload");
        switch (event) {
            case "agent" -> {
                Inbox inbox = this.byRunId.get(payload.path("runId").asString(""));
                if (inbox == null) {
                    inbox = this.bySession.get(payload.path("sessionKey").asString(""));
                }
                if (inbox != null) {
                    inbox.deliver(frame);
                }
            }
            case "connect.challenge" -> {
                Inbox inbox = this.byRequestId.get(GatewayHandshake.CHALLENGE);
                if (inbox != null) {
                    inbox.deliver(frame);
                }
            }
            case "shutdown" ->
                logger.info(
                        "OpenClaw gateway is stopping ({})",
                        payload.path("reason").asString("no reason given"));
            default -> {
                // tick, health, presence, chat, task, ...: only their arrival matters (liveness)
            }
        }
    }

    private void ended(String why) {
        if (this.closed.complete(why)) {
            this.byRequestId.values().forEach((inbox) -> inbox.connectionClosed(why));
            this.byRunId.values().forEach((inbox) -> inbox.connectionClosed(why));
        }
    }
}
