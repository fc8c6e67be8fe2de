package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.ServerWebSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenClaw gateway on one loopback port, written from protocols/openclaw.md: the WebSocket protocol 4 (challenge,
 * connect with the token and scope rules, hello-ok, {@code agent} with its two {@code res} frames, broadcast
 * {@code agent} events, idempotency with {@code in_flight}, {@code agent.wait}, {@code chat.abort}, {@code tick}) and
 * the HTTP surface ({@code /healthz}, {@code POST /v1/chat/completions}). Tests steer it: hold runs, add events of
 * other runs, stop ticking, drop every connection, restart on the same port.
 */
final class FakeOpenClawGateway implements AutoCloseable {

    static final String VERSION = "2026.9.6";

    final JsonMapper json = JsonMapper.builder().build();

    final String token;

    final Map<String, FakeRun> runs = new ConcurrentHashMap<>();

    final List<FakeGatewaySession> sessions = new CopyOnWriteArrayList<>();

    final List<JsonNode> connectParams = new CopyOnWriteArrayList<>();

    final List<String> methods = new CopyOnWriteArrayList<>();

    final List<JsonNode> aborts = new CopyOnWriteArrayList<>();

    final List<String> httpSessionKeys = new CopyOnWriteArrayList<>();

    final Map<String, List<String>> sessionHistory = new ConcurrentHashMap<>();

    final AtomicInteger modelCalls = new AtomicInteger();

    final AtomicInteger handshakes = new AtomicInteger();

    volatile int protocol = 4;

    volatile Duration tickInterval = Duration.ofMillis(200);

    volatile boolean ticking = true;

    volatile boolean answerWithHello = true;

    volatile boolean chatCompletionsEnabled = true;

    volatile boolean webSocketEnabled = true;

    /** When set, runs wait for {@link #releaseRuns()} before they finish. */
    volatile boolean holdRuns;

    /**
     * Keys (and messages) of one-off runs lost in a kill: the real gateway refuses new work under these keys afterwards,
     * and its restart recovery resumes them under new run ids when {@link #resumeLostRuns} is set.
     */
    final Map<String, String> staleOneOffSessions = new ConcurrentHashMap<>();

    /** When set, a start after a kill resumes the lost one-off runs (new run ids, same sessions) after a moment. */
    volatile boolean resumeLostRuns;

    /** How many more {@code agent} requests to refuse with the retryable {@code UNAVAILABLE}. */
    final AtomicInteger unavailableAnswers = new AtomicInteger();

    /** The end marker of OpenClaw's internal context, which the real gateway strips from a visible reply. */
    static final String INTERNAL_MARKER = "<<<END_OPENCLAW_INTERNAL_CONTEXT>>>";

    /**
     * When set, every run streams its reply with {@link #INTERNAL_MARKER} appended and then corrects it with a
     * {@code replace} event, as the real gateway does when the model echoes the marker.
     */
    volatile boolean correctedReplies;

    /** When set, every run's events are interleaved with the events of another run. */
    volatile boolean otherRunsInterleaved;

    private volatile @Nullable ServerSocket server;

    private volatile int port;

    private @Nullable Thread ticker;

    FakeOpenClawGateway(String token) {
        this.token = token;
    }

    FakeOpenClawGateway start() throws IOException {
        ServerSocket socket = bind();
        this.port = socket.getLocalPort();
        this.server = socket;
        Thread.ofVirtual().name("fake-openclaw-accept").start(() -> accept(socket));
        this.ticker = Thread.ofVirtual().name("fake-openclaw-tick").start(this::tick);
        if (this.resumeLostRuns) {
            Map<String, String> lost = Map.copyOf(this.staleOneOffSessions);
            Thread.ofVirtual().name("fake-openclaw-recovery").start(() -> resume(lost));
        }
        return this;
    }

    /**
     * Binds the listening socket; a restart binds the port of the first start again. That port can be held for a
     * moment by the agent's own reconnect attempt (a TCP self-connect when the kernel picks the same port as the
     * source), so a restart retries for a few seconds.
     */
    private ServerSocket bind() throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
                return socket;
            } catch (java.net.BindException ex) {
                socket.close();
                if (this.port == 0 || System.nanoTime() > deadline) {
                    throw ex;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    int port() {
        return this.port;
    }

    String endpoint() {
        return "127.0.0.1:" + this.port;
    }

    /** Like a killed gateway: every connection dropped without a close frame, the port closed, runs forgotten. */
    void kill() {
        ServerSocket socket = this.server;
        this.server = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ex) {
                // closed
            }
        }
        Thread thread = this.ticker;
        if (thread != null) {
            thread.interrupt();
        }
        dropConnections();
        this.runs.values().forEach((run) -> {
            if (run.status == FakeRun.Status.RUNNING && run.sessionKey.contains(":explicit:")) {
                this.staleOneOffSessions.put(run.runId, run.message);
            }
            run.release();
        });
        this.runs.clear();
    }

    /** Drops every WebSocket without a close frame; the gateway itself (and its runs) stays up. */
    void dropConnections() {
        this.sessions.forEach(FakeGatewaySession::drop);
        this.sessions.clear();
    }

    void releaseRuns() {
        this.holdRuns = false;
        this.runs.values().forEach(FakeRun::release);
    }

    /** Sends an event to every authenticated connection, as the gateway broadcasts run events. */
    void broadcast(String event, ObjectNode payload) {
        this.sessions.forEach((session) -> session.event(event, payload));
    }

    /** The fake model: echoes the message and counts the earlier turns of its session (one call per run). */
    String model(String message, String sessionKey) {
        this.modelCalls.incrementAndGet();
        List<String> history = this.sessionHistory.computeIfAbsent(sessionKey, (key) -> new CopyOnWriteArrayList<>());
        history.add(message);
        return "echo: " + message + ((history.size() > 1) ? " (turn " + history.size() + ")" : "");
    }

    private void resume(Map<String, String> lost) {
        try {
            // like the real gateway, the recovery run starts a while after the gateway is ready
            Thread.sleep(300);
        } catch (InterruptedException ex) {
            return;
        }
        lost.forEach((key, message) -> FakeGatewaySession.resume(
                this,
                new FakeRun(
                        java.util.UUID.randomUUID().toString(),
                        "[Queued user message] " + message,
                        "agent:main:explicit:" + key)));
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(this.tickInterval);
                if (this.ticking) {
                    ObjectNode payload = this.json.createObjectNode().put("ts", System.currentTimeMillis());
                    broadcast("tick", payload);
                }
            }
        } catch (InterruptedException ex) {
            // stopped
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().name("fake-openclaw-conn").start(() -> serve(client));
            } catch (IOException ex) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new ConcurrentHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            if ("websocket".equalsIgnoreCase(headers.getOrDefault("upgrade", ""))) {
                if (!this.webSocketEnabled) {
                    respond(client.getOutputStream(), 400, "{\"error\":\"no upgrade here\"}");
                    return;
                }
                ServerWebSocket socket = new ServerWebSocket(client, in, headers.get("sec-websocket-key"));
                new FakeGatewaySession(this, socket).run();
                return;
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            http(
                    client.getOutputStream(),
                    requestLine[0],
                    requestLine[1],
                    headers,
                    new String(body, StandardCharsets.UTF_8));
        } catch (SocketException ex) {
            // dropped by a test
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void http(OutputStream out, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        if ("GET".equals(method) && "/healthz".equals(path)) {
            respond(out, 200, "{\"ok\":true,\"status\":\"live\"}");
        } else if ("POST".equals(method) && "/v1/chat/completions".equals(path)) {
            if (!this.chatCompletionsEnabled) {
                respond(out, 404, "Not Found");
            } else if (!("Bearer " + this.token).equals(headers.get("authorization"))) {
                respond(out, 401, "{\"error\":{\"message\":\"Unauthorized\",\"type\":\"unauthorized\"}}");
            } else {
                JsonNode request = this.json.readTree(body);
                JsonNode messages = request.path("messages");
                if (messages.isEmpty()) {
                    respond(
                            out,
                            400,
                            "{\"error\":{\"message\":\"Missing user message in `messages`.\","
                                    + "\"type\":\"invalid_request_error\"}}");
                    return;
                }
                this.httpSessionKeys.add(headers.getOrDefault("x-openclaw-session-key", ""));
                String session = headers.getOrDefault("x-openclaw-session-key", "");
                String reply = model(
                        messages.get(messages.size() - 1).path("content").asString(""),
                        session.isEmpty() ? "agent:main:openai:" + this.modelCalls.get() : "agent:main:" + session);
                ObjectNode answer = this.json.createObjectNode();
                answer.put("id", "chatcmpl_fake")
                        .put("object", "chat.completion")
                        .put("model", "openclaw/default");
                answer.putArray("choices")
                        .addObject()
                        .put("index", 0)
                        .put("finish_reason", "stop")
                        .putObject("message")
                        .put("role", "assistant")
                        .put("content", reply);
                respond(out, 200, this.json.writeValueAsString(answer));
            }
        } else {
            respond(out, 404, "Not Found");
        }
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static @Nullable String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public void close() {
        kill();
    }
}
