package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.clawmesh.agent.registration.ListenPort;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.agent.web.RequestRejectedException;
import io.clawmesh.common.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The agent's inbound HTTP/1.1 server, on the JDK's own {@link HttpServer} with one virtual thread per exchange and
 * keep-alive connections. It routes exact paths to handlers, answers unknown paths (404) and wrong methods (405), and
 * turns every failure into a problem answer. On stop it stops accepting and lets exchanges in flight finish within
 * the shutdown grace; the heartbeat, a later phase, deregisters only after that.
 */
public class AgentHttpServer implements SmartLifecycle, ListenPort {

    private static final Logger logger = LoggerFactory.getLogger(AgentHttpServer.class);

    /** Where a web server stops: before the heartbeat ({@code HeartbeatTask}), which deregisters the node. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    /**
     * A handler, the path it serves and the one method it takes ({@code GET} also answers {@code HEAD}). The path is
     * exact or a template whose {@code {name}} segments match any one non-empty segment, read back with
     * {@link #pathVariable(HttpExchange, String)}; several routes may share a path with different methods.
     */
    record Route(String path, String method, HttpHandler handler) {

        /** The variables of {@code path} when it matches this route's path, else {@code null}. */
        @Nullable
        Map<String, String> match(String requestPath) {
            if (!this.path.contains("{")) {
                return this.path.equals(requestPath) ? Map.of() : null;
            }
            String[] template = this.path.split("/", -1);
            String[] actual = requestPath.split("/", -1);
            if (template.length != actual.length) {
                return null;
            }
            Map<String, String> variables = new HashMap<>();
            for (int i = 0; i < template.length; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    if (actual[i].isEmpty()) {
                        return null;
                    }
                    variables.put(template[i].substring(1, template[i].length() - 1), actual[i]);
                } else if (!template[i].equals(actual[i])) {
                    return null;
                }
            }
            return variables;
        }
    }

    private static final String VARIABLE_PREFIX = "clawmesh.path.";

    /** TLS 1.3's ChaCha20-Poly1305: plain Java arithmetic that C1 compiles well, unlike AES-GCM's table lookups. */
    static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";

    /**
     * Whether this JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}, the agent's recommended flags): then the
     * JDK's AES-GCM runs without its AES-NI intrinsics, which only C2 uses, and costs about three times ChaCha20's
     * CPU per record (bench/README.md, mutual TLS).
     */
    static final boolean C1_ONLY = c1Only();

    private final @Nullable String address;

    private final int port;

    private final Duration shutdownGrace;

    private final List<Route> routes;

    private final JsonResponses responses;

    private volatile @Nullable HttpServer server;

    /** Whether {@link #start()} opens the listening port; an outbound agent has none (ADR 0010). */
    private volatile boolean listening = true;

    /** Set when started without a listener, so the lifecycle still sees this server run and stop. */
    private volatile boolean running;

    private @Nullable ExecutorService executor;

    /** Set for mutual TLS: the server speaks only HTTPS and needs a client certificate (SPEC §18). */
    private volatile @Nullable SSLContext tls;

    AgentHttpServer(
            @Nullable String address, int port, Duration shutdownGrace, List<Route> routes, JsonResponses responses) {
        this.address =
                (address == null || address.isBlank()) ? null : address.strip().replaceAll("^\\[|]$", "");
        this.port = port;
        this.shutdownGrace = shutdownGrace;
        this.routes = List.copyOf(routes);
        this.responses = responses;
    }

    @Override
    public synchronized void start() {
        if (this.server != null || this.running) {
            return;
        }
        if (!this.listening) {
            this.running = true;
            logger.info("Agent API opens no port: this agent dials the coordinator (--connect outbound)");
            return;
        }
        // The coordinator pools connections: small answers go out at once (no Nagle), idle ones live 60 s as before.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        System.setProperty(
                "sun.net.httpserver.idleInterval", System.getProperty("sun.net.httpserver.idleInterval", "60"));
        InetSocketAddress bind = (this.address != null)
                ? new InetSocketAddress(this.address, this.port)
                : new InetSocketAddress(this.port);
        HttpServer created;
        SSLContext context = this.tls;
        try {
            if (context != null) {
                HttpsServer https = HttpsServer.create(bind, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(context) {
                    @Override
                    public void configure(HttpsParameters parameters) {
                        SSLParameters ssl = context.getDefaultSSLParameters();
                        // no certificate, no exchange: needClientAuth fails the handshake before any byte of HTTP
                        ssl.setNeedClientAuth(true);
                        // the server picks the suite: the one that costs this JVM least per record
                        ssl.setCipherSuites(cipherSuites(ssl.getCipherSuites(), C1_ONLY));
                        ssl.setUseCipherSuitesOrder(true);
                        parameters.setSSLParameters(ssl);
                    }
                });
                created = https;
            } else {
                created = HttpServer.create(bind, 50);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Cannot listen on " + describe(bind) + " (server.address/server.port, " + "or mesh.agent.listen): "
                            + ex.getMessage(),
                    ex);
        }
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mesh-http-", 0).factory());
        created.setExecutor(this.executor);
        created.createContext("/", this::handle);
        created.start();
        this.server = created;
        logger.info(
                "Agent API listening on {}{}",
                describe(created.getAddress()),
                (context != null) ? " (HTTPS, the coordinator's client certificate required)" : "");
    }

    /**
     * Serves HTTPS with this context and requires a client certificate that its trust managers accept; plain HTTP on
     * the port fails the handshake. Called before {@link #start()}.
     */
    public void useTls(SSLContext context) {
        this.tls = context;
    }

    /** Whether the port speaks HTTPS with client certificates. */
    public boolean tls() {
        return this.tls != null;
    }

    /** Serves nothing on a port: requests arrive only through {@link #serve(HttpExchange)} (an outbound agent). */
    public void withoutListener() {
        this.listening = false;
    }

    /**
     * Serves one exchange that did not arrive on the port (an outbound agent's WebSocket): the same routes, the same
     * problem answers, and the exchange is closed at the end.
     */
    public void serve(HttpExchange exchange) {
        handle(exchange);
    }

    @Override
    public void stop() {
        this.running = false;
        HttpServer current;
        ExecutorService handlers;
        synchronized (this) {
            current = this.server;
            handlers = this.executor;
            this.server = null;
            this.executor = null;
        }
        if (current == null) {
            return;
        }
        long graceSeconds = Math.max(0, (this.shutdownGrace.toMillis() + 999) / 1000);
        logger.info("Agent API stops accepting; messages in flight may finish within {}s", graceSeconds);
        // closes the listener, then waits until the exchanges in flight are done (or the grace is over)
        current.stop((int) Math.min(Integer.MAX_VALUE, graceSeconds));
        if (handlers != null) {
            handlers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return this.server != null || this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The port the server listens on: the bound one once started (so {@code server.port=0} shows the real one). */
    @Override
    public int port() {
        HttpServer current = this.server;
        return (current != null) ? current.getAddress().getPort() : this.port;
    }

    private void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (Throwable ex) {
            answerFailure(exchange, ex);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : this.routes) {
            Map<String, String> variables = route.match(path);
            if (variables == null) {
                continue;
            }
            if (method.equals(route.method())
                    || (method.equals("HEAD") && route.method().equals("GET"))) {
                variables.forEach((name, value) -> exchange.setAttribute(VARIABLE_PREFIX + name, value));
                route.handler().handle(exchange);
                return;
            }
            allowed.add(route.method());
            if (route.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (allowed.isEmpty()) {
            throw new RequestRejectedException(ProblemType.NOT_FOUND, "No endpoint " + method + " " + path + ".");
        }
        allowed.add("OPTIONS");
        String allow = String.join(", ", allowed);
        if (method.equals("OPTIONS")) {
            exchange.getResponseHeaders().set("Allow", allow);
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        throw new RequestRejectedException(
                ProblemType.METHOD_NOT_ALLOWED, "Method '" + method + "' is not supported.", Map.of("Allow", allow));
    }

    /** The raw (still percent-encoded) value of the path variable {@code name} of the route that took the exchange. */
    static String pathVariable(HttpExchange exchange, String name) {
        Object value = exchange.getAttribute(VARIABLE_PREFIX + name);
        if (value == null) {
            throw new IllegalStateException("No path variable '" + name + "' on " + exchange.getRequestURI());
        }
        return value.toString();
    }

    private void answerFailure(HttpExchange exchange, Throwable ex) {
        if (exchange.getResponseCode() != -1) {
            logger.debug("Failed after the answer had started; closing the connection", ex);
            return;
        }
        try {
            this.responses.problem(exchange, ApiProblems.from(ex));
        } catch (IOException | RuntimeException writeFailure) {
            logger.debug("Could not send the problem answer: {}", writeFailure.toString());
        }
    }

    /**
     * The server's cipher suites in order of preference: ChaCha20-Poly1305 first when this JVM compiles with C1 only
     * (AES-GCM without AES-NI), else the JDK's order (AES-GCM first, with AES-NI). The same suites either way.
     */
    static String[] cipherSuites(String[] enabled, boolean c1Only) {
        if (!c1Only || !List.of(enabled).contains(CHACHA20)) {
            return enabled.clone();
        }
        List<String> ordered = new java.util.ArrayList<>(enabled.length);
        ordered.add(CHACHA20);
        for (String suite : enabled) {
            if (!suite.equals(CHACHA20)) {
                ordered.add(suite);
            }
        }
        return ordered.toArray(String[]::new);
    }

    /** Whether this JVM compiles with C1 only (or interprets only), so AES-GCM runs without AES-NI. */
    static boolean c1Only() {
        try {
            var flags = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            if (flags == null
                    || !"true".equals(flags.getVMOption("TieredCompilation").getValue())) {
                return false;
            }
            // levels 1-3 are C1's, 0 the interpreter's; 4 is C2
            return Integer.parseInt(flags.getVMOption("TieredStopAtLevel").getValue()) < 4;
        } catch (RuntimeException | LinkageError ex) {
            return false; // not HotSpot, or no management module: keep the JDK's order
        }
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
