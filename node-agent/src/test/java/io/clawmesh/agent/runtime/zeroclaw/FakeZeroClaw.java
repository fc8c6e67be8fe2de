package io.clawmesh.agent.runtime.zeroclaw;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ZeroClaw gateway as protocols/zeroclaw.md describes it (v0.8.x), on 127.0.0.1: {@code GET /health},
 * {@code GET /admin/paircode} and {@code POST /admin/paircode/new} (loopback only), {@code POST /pair} with the 6-digit
 * code and the lockout after 5 bad codes, and {@code POST /webhook} with bearer auth, {@code ?agent=},
 * {@code X-Session-Id} (conversation memory), {@code X-Idempotency-Key} (duplicates answered {@code status:duplicate}),
 * the 64 KiB body limit, the gateway-wide request timeout (408) and {@code needs_quickstart} (503), and the streaming
 * {@code GET /ws/chat} ({@link FakeZeroClawChat}). Its "model" answers {@code zeroclaw: <message> (turn N)}, where N
 * counts the turns of the session. The port is a small front that answers WebSocket upgrades itself and passes every
 * other connection through to a JDK HTTP server, which cannot upgrade.
 */
public final class FakeZeroClaw implements AutoCloseable {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final int MAX_BODY = 65_536;

    private static final int MAX_PAIR_ATTEMPTS = 5;

    private final JsonMapper json = JsonMapper.builder().build();

    private final SecureRandom random = new SecureRandom();

    private final HttpServer server;

    private final ServerSocket front;

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private final FakeZeroClawChat chat = new FakeZeroClawChat(this);

    private final Set<String> tokenHashes = ConcurrentHashMap.newKeySet();

    private final Map<String, Instant> idempotencyKeys = new ConcurrentHashMap<>();

    private final Map<String, List<String>> sessions = new ConcurrentHashMap<>();

    private final Set<String> agents = ConcurrentHashMap.newKeySet();

    /** Every webhook call, in order. */
    public final List<Call> webhookCalls = new CopyOnWriteArrayList<>();

    /** How many turns the "model" ran. */
    public final AtomicInteger turns = new AtomicInteger();

    /** How many pairings succeeded. */
    public final AtomicInteger pairings = new AtomicInteger();

    private volatile @Nullable String pairingCode;

    private volatile int badPairAttempts;

    private volatile boolean requirePairing = true;

    private volatile boolean needsQuickstart;

    private volatile Duration requestTimeout = Duration.ofSeconds(30);

    private volatile Duration modelDelay = Duration.ZERO;

    private volatile int rateLimitNext;

    /** One {@code POST /webhook} as it arrived. */
    public record Call(
            @Nullable String authorization,
            @Nullable String sessionId,
            @Nullable String idempotencyKey,
            @Nullable String agent,
            String body) {}

    private FakeZeroClaw(int port) {
        try {
            this.front = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Thread.ofVirtual().name("fake-zeroclaw-front").start(this::accept);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // every answer closes its connection: the front passes a connection through whole, so a pooled one must not
        // carry a later /ws/chat upgrade (which the JDK client sends over a pooled connection) past the front
        this.server.createContext("/", this::handle).getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                exchange.getResponseHeaders().set("Connection", "close");
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "one request per connection";
            }
        });
        this.agents.add("default");
        this.pairingCode = newCode();
        this.server.start();
    }

    /** Starts on a free loopback port. */
    public static FakeZeroClaw start() {
        return new FakeZeroClaw(0);
    }

    /** Starts on the given loopback port. */
    public static FakeZeroClaw start(int port) {
        return new FakeZeroClaw(port);
    }

    public int port() {
        return this.front.getLocalPort();
    }

    /** The streaming chat endpoint, {@code /ws/chat}. */
    public FakeZeroClawChat chat() {
        return this.chat;
    }

    boolean pairingRequired() {
        return this.requirePairing;
    }

    boolean knowsToken(@Nullable String token) {
        return token != null && this.tokenHashes.contains(sha256(token));
    }

    boolean knowsAgent(String alias) {
        return this.agents.contains(alias);
    }

    /** The conversation of a session, created when new; the webhook and the chat socket share them. */
    List<String> history(String sessionId) {
        return this.sessions.computeIfAbsent(sessionId, (id) -> new CopyOnWriteArrayList<>());
    }

    private void accept() {
        while (!this.front.isClosed()) {
            try {
                Socket client = this.front.accept();
                this.open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException ex) {
                return;
            }
        }
    }

    /** Reads the request head: an upgrade to {@code /ws/chat} is answered here, anything else passed through. */
    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0 || head.size() > 16_384) {
                    return;
                }
                head.write(b);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            URI target = URI.create(requestLine[1]);
            if ("GET".equals(requestLine[0])
                    && "/ws/chat".equals(target.getPath())
                    && "websocket".equalsIgnoreCase(headers.getOrDefault("upgrade", ""))) {
                Map<String, String> query = new LinkedHashMap<>();
                for (String name : List.of("agent", "session_id", "name", "token")) {
                    String value = query(target.getRawQuery(), name);
                    if (value != null) {
                        query.put(name, value);
                    }
                }
                this.chat.serve(client, in, query, headers);
                return;
            }
            passThrough(client, in, head.toByteArray());
        } catch (IOException ex) {
            // the client or the test went away
        } finally {
            this.open.remove(client);
        }
    }

    private void passThrough(Socket client, InputStream in, byte[] head) throws IOException {
        try (Socket inner = new Socket(
                InetAddress.getLoopbackAddress(), this.server.getAddress().getPort())) {
            this.open.add(inner);
            inner.getOutputStream().write(head);
            Thread upstream = Thread.ofVirtual().start(() -> {
                try {
                    in.transferTo(inner.getOutputStream());
                } catch (IOException ex) {
                    // one side closed
                } finally {
                    closeQuietly(inner);
                }
            });
            try {
                inner.getInputStream().transferTo(client.getOutputStream());
            } catch (IOException ex) {
                // one side closed
            } finally {
                closeQuietly(client);
                upstream.interrupt();
                this.open.remove(inner);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ex) {
            // already closed
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The current pairing code, as the gateway prints it at start. */
    public @Nullable String pairingCode() {
        return this.pairingCode;
    }

    public FakeZeroClaw requirePairing(boolean require) {
        this.requirePairing = require;
        return this;
    }

    /** No model configured: {@code /webhook} answers 503 {@code needs_quickstart}. */
    public FakeZeroClaw needsQuickstart(boolean needs) {
        this.needsQuickstart = needs;
        return this;
    }

    /** The gateway-wide {@code request_timeout_secs}. */
    public FakeZeroClaw requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** How long the "model" takes per turn. */
    public FakeZeroClaw modelDelay(Duration delay) {
        this.modelDelay = delay;
        return this;
    }

    /** The next {@code count} webhook calls hit the rate limit (429). */
    public FakeZeroClaw rateLimitNext(int count) {
        this.rateLimitNext = count;
        return this;
    }

    public FakeZeroClaw agent(String alias) {
        this.agents.add(alias);
        return this;
    }

    /** Forgets every paired token, as a reset config would. */
    public FakeZeroClaw forgetTokens() {
        this.tokenHashes.clear();
        this.pairingCode = newCode();
        return this;
    }

    /** The conversation a session holds. */
    public List<String> session(String sessionId) {
        return this.sessions.getOrDefault(sessionId, List.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            switch (method + " " + path) {
                case "GET /health" -> send(exchange, 200, health());
                case "GET /admin/paircode" -> adminPaircode(exchange, false);
                case "POST /admin/paircode/new" -> adminPaircode(exchange, true);
                case "POST /pair" -> pair(exchange);
                case "POST /webhook" -> webhook(exchange);
                default -> send(exchange, 404, Map.of("error", "Not Found"));
            }
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("paired", !this.tokenHashes.isEmpty());
        health.put("require_pairing", this.requirePairing);
        health.put("runtime", Map.of("components", Map.of()));
        return health;
    }

    private void adminPaircode(HttpExchange exchange, boolean rotate) throws IOException {
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            send(exchange, 403, Map.of("error", "admin endpoints are loopback-only"));
            return;
        }
        if (rotate) {
            this.pairingCode = newCode();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("pairing_required", this.requirePairing);
        body.put("pairing_code", this.pairingCode);
        send(exchange, 200, body);
    }

    private synchronized void pair(HttpExchange exchange) throws IOException {
        if (this.badPairAttempts >= MAX_PAIR_ATTEMPTS) {
            send(exchange, 429, Map.of("error", "Too many failed attempts. Try again later.", "retry_after", 300));
            return;
        }
        String code = exchange.getRequestHeaders().getFirst("X-Pairing-Code");
        if (code == null || !code.equals(this.pairingCode)) {
            this.badPairAttempts++;
            send(exchange, 403, Map.of("error", "Invalid pairing code"));
            return;
        }
        this.badPairAttempts = 0;
        String token = "zc_" + HexFormat.of().formatHex(randomBytes(32));
        this.tokenHashes.add(sha256(token));
        this.pairingCode = null; // shown only before the first pairing
        this.pairings.incrementAndGet();
        send(
                exchange,
                200,
                Map.of(
                        "paired",
                        true,
                        "persisted",
                        true,
                        "token",
                        token,
                        "message",
                        "Save this token — use it as Authorization: Bearer <token>"));
    }

    private void webhook(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String sessionId = exchange.getRequestHeaders().getFirst("X-Session-Id");
        String key = exchange.getRequestHeaders().getFirst("X-Idempotency-Key");
        String agent = query(exchange.getRequestURI().getRawQuery(), "agent");
        this.webhookCalls.add(new Call(authorization, sessionId, key, agent, new String(raw, StandardCharsets.UTF_8)));
        if (raw.length > MAX_BODY) {
            send(exchange, 413, Map.of("error", "Payload Too Large"));
            return;
        }
        if (this.requirePairing && !authorized(authorization)) {
            send(exchange, 401, Map.of("error", "Unauthorized — pair first via POST /pair"));
            return;
        }
        if (this.rateLimitNext > 0) {
            this.rateLimitNext--;
            send(exchange, 429, Map.of("error", "Too many requests", "retry_after", 42));
            return;
        }
        String message = message(raw);
        if (message == null) {
            send(exchange, 400, Map.of("error", "Invalid JSON body. Expected: {\"message\": \"...\"}"));
            return;
        }
        if (agent != null && !this.agents.contains(agent)) {
            send(exchange, 400, Map.of("error", "Unknown agent alias: " + agent));
            return;
        }
        if (sessionId != null && !SESSION_ID.matcher(sessionId).matches()) {
            send(exchange, 400, Map.of("error", "Invalid X-Session-Id"));
            return;
        }
        if (key != null && this.idempotencyKeys.putIfAbsent(key, Instant.now()) != null) {
            send(
                    exchange,
                    200,
                    Map.of(
                            "status",
                            "duplicate",
                            "idempotent",
                            true,
                            "message",
                            "Request already processed for this key"));
            return;
        }
        if (this.needsQuickstart) {
            send(exchange, 503, Map.of("error", "needs_quickstart", "url", "/quickstart"));
            return;
        }
        if (this.modelDelay.compareTo(this.requestTimeout) >= 0) {
            sleep(this.requestTimeout);
            exchange.sendResponseHeaders(408, -1); // tower's TimeoutLayer: empty 408
            return;
        }
        sleep(this.modelDelay);
        String conversation = (sessionId != null) ? sessionId : "webhook-" + java.util.UUID.randomUUID();
        List<String> history = this.sessions.computeIfAbsent(conversation, (id) -> new CopyOnWriteArrayList<>());
        history.add(message);
        this.turns.incrementAndGet();
        send(
                exchange,
                200,
                Map.of("response", "zeroclaw: " + message + " (turn " + history.size() + ")", "model", "fake-model"));
    }

    private @Nullable String message(byte[] raw) {
        try {
            JsonNode body = this.json.readTree(raw);
            JsonNode message = (body != null) ? body.get("message") : null;
            return (message != null && message.isString()) ? message.asString() : null;
        } catch (JacksonException ex) {
            return null;
        }
    }

    private boolean authorized(@Nullable String authorization) {
        return authorization != null
                && authorization.startsWith("Bearer ")
                && this.tokenHashes.contains(sha256(authorization.substring(7)));
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = this.json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static @Nullable String query(@Nullable String query, String name) {
        if (query == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                values.add(java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private String newCode() {
        return "%06d".formatted(this.random.nextInt(1_000_000));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        this.random.nextBytes(bytes);
        return bytes;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            this.front.close();
        } catch (IOException ex) {
            // already closed
        }
        this.chat.release();
        this.open.forEach(FakeZeroClaw::closeQuietly);
        this.server.stop(0);
    }
}
