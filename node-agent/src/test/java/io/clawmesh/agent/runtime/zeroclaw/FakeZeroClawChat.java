package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link FakeZeroClaw}'s {@code GET /ws/chat} (protocols/zeroclaw.md §6): {@code ?agent=} required (400 without),
 * bearer auth by header, {@code bearer.<token>} subprotocol or {@code ?token=} (401 without), subprotocol
 * {@code zeroclaw.v1}, {@code session_start} on connect, {@code connect}/{@code connected}, and per
 * {@code {"type":"message"}} a turn streamed as {@code chunk}s and ended by {@code done {full_response, …}}. A held turn
 * ({@link #holdTurns}) sends its first chunk and waits, so a test sees the first piece early and can close the socket
 * mid-turn, which the fake records.
 */
public final class FakeZeroClawChat {

    private final FakeZeroClaw gateway;

    private final JsonMapper json = JsonMapper.builder().build();

    /** Every upgrade that got through, in order. */
    public final List<Connection> connections = new CopyOnWriteArrayList<>();

    /** How many upgrade requests came, refused ones included. */
    public final AtomicInteger upgrades = new AtomicInteger();

    /** How many WebSockets the client closed (or dropped) while a turn was running. */
    public final AtomicInteger closedMidTurn = new AtomicInteger();

    /** Completed when a held turn sent its first chunk. */
    public final CompletableFuture<Void> holding = new CompletableFuture<>();

    private volatile CompletableFuture<Void> released = new CompletableFuture<>();

    /** Older ZeroClaw builds have no {@code /ws/chat}: answered 404 while unset. */
    public volatile boolean enabled = true;

    /** Turns send their first chunk, then wait for {@link #release()} or the client to go. */
    public volatile boolean holdTurns;

    /** Turns send their first chunk, then an {@code error} frame instead of the rest. */
    public volatile boolean errorMidTurn;

    /** One accepted {@code /ws/chat} upgrade. */
    public record Connection(
            @Nullable String authorization,
            String agent,
            @Nullable String sessionId) {}

    FakeZeroClawChat(FakeZeroClaw gateway) {
        this.gateway = gateway;
    }

    /** Lets held turns go on. */
    public void release() {
        this.released.complete(null);
    }

    /** Answers one upgrade request whose head was read already. */
    void serve(Socket client, InputStream in, Map<String, String> query, Map<String, String> headers)
            throws IOException {
        OutputStream out = client.getOutputStream();
        this.upgrades.incrementAndGet();
        if (!this.enabled) {
            refuse(out, 404, "Not Found");
            return;
        }
        String agent = query.get("agent");
        if (agent == null) {
            refuse(out, 400, "Missing required `agent` query parameter");
            return;
        }
        String authorization = headers.get("authorization");
        String protocols = headers.getOrDefault("sec-websocket-protocol", "");
        String bearer = (authorization != null && authorization.startsWith("Bearer "))
                ? authorization.substring(7)
                : protocols.contains("bearer.")
                        ? protocols
                                .substring(protocols.indexOf("bearer.") + 7)
                                .split(",")[0]
                                .strip()
                        : query.get("token");
        if (this.gateway.pairingRequired() && !this.gateway.knowsToken(bearer)) {
            refuse(out, 401, "Unauthorized — pair first via POST /pair");
            return;
        }
        if (!this.gateway.knowsAgent(agent)) {
            refuse(out, 400, "Unknown agent alias: " + agent);
            return;
        }
        String session = query.getOrDefault("session_id", "ws-" + UUID.randomUUID());
        this.connections.add(new Connection(authorization, agent, query.get("session_id")));
        ServerWebSocket socket = new ServerWebSocket(
                client,
                in,
                headers.get("sec-websocket-key"),
                protocols.contains(ZeroClawChatSocket.SUBPROTOCOL) ? ZeroClawChatSocket.SUBPROTOCOL : null);
        chat(socket, session);
    }

    private void chat(ServerWebSocket socket, String session) throws IOException {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        send(
                socket,
                Map.of(
                        "type",
                        "session_start",
                        "session_id",
                        session,
                        "resumed",
                        false,
                        "message_count",
                        this.gateway.history(session).size()));
        AtomicInteger running = new AtomicInteger();
        while (true) {
            String text = socket.readText();
            if (text == null) {
                if (running.get() > 0) {
                    this.closedMidTurn.incrementAndGet();
                }
                gone.complete(null);
                return;
            }
            JsonNode frame = parse(text);
            switch (frame.path("type").asString("")) {
                case "connect" -> send(socket, Map.of("type", "connected"));
                case "message" -> {
                    running.incrementAndGet();
                    String content = frame.path("content").asString("");
                    Thread.ofVirtual().start(() -> {
                        try {
                            turn(socket, session, content, gone);
                        } finally {
                            running.decrementAndGet();
                        }
                    });
                }
                default -> send(socket, Map.of("type", "error", "message", "unknown frame type"));
            }
        }
    }

    private void turn(ServerWebSocket socket, String session, String content, CompletableFuture<Void> gone) {
        List<String> history = this.gateway.history(session);
        history.add(content);
        this.gateway.turns.incrementAndGet();
        String reply = "zeroclaw: " + content + " (turn " + history.size() + ")";
        int half = reply.length() / 2;
        try {
            send(socket, Map.of("type", "thinking", "content", "considering"));
            send(socket, Map.of("type", "chunk", "content", reply.substring(0, half)));
            if (this.errorMidTurn) {
                send(socket, Map.of("type", "error", "message", "LLM request failed"));
                return;
            }
            if (this.holdTurns) {
                this.holding.complete(null);
                CompletableFuture.anyOf(this.released, gone).join();
                if (gone.isDone()) {
                    return;
                }
            }
            send(socket, Map.of("type", "chunk", "content", reply.substring(half)));
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("type", "done");
            done.put("full_response", reply);
            done.put("input_tokens", 12);
            done.put("output_tokens", 7);
            done.put("tokens_used", 19);
            done.put("cost_usd", 0.0);
            done.put("model", "fake-model");
            done.put("provider", "fake");
            send(socket, done);
        } catch (IOException ex) {
            // the client went away
        }
    }

    private JsonNode parse(String text) {
        try {
            return this.json.readTree(text);
        } catch (JacksonException ex) {
            return this.json.createObjectNode();
        }
    }

    private void send(ServerWebSocket socket, Map<String, ?> frame) throws IOException {
        socket.sendText(this.json.writeValueAsString(frame));
    }

    private void refuse(OutputStream out, int status, String error) throws IOException {
        byte[] body = this.json.writeValueAsBytes(Map.of("error", error));
        out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
