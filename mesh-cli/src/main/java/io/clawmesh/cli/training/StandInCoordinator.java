package io.clawmesh.cli.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.common.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A coordinator stand-in for the training run, on a random loopback port: it answers {@code GET /api/v1/nodes} (what
 * {@link AotTraining#VERBS} read) with the coordinator's own wire records (written by Jackson, as the coordinator writes them), as of a fixed instant,
 * and every other request with a {@code not-found} problem. It holds no state and takes no input from outside.
 */
final class StandInCoordinator implements AutoCloseable {

    /** The instant the answers are as of; the CLI's "ago" columns count from its own clock. */
    static final Instant AS_OF = Instant.parse("2026-12-07T12:00:00Z");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;

    private final Map<String, byte[]> answers;

    private StandInCoordinator(HttpServer server, Map<String, byte[]> answers) {
        this.server = server;
        this.answers = answers;
    }

    /** Starts it on {@code 127.0.0.1} (the loopback address), on a port the system picks. */
    static StandInCoordinator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StandInCoordinator coordinator = new StandInCoordinator(server, answers());
        server.createContext("/", coordinator::handle);
        server.start();
        return coordinator;
    }

    String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    private static Map<String, byte[]> answers() {
        return Map.of(ApiPaths.NODES, JSON.writeValueAsBytes(nodes()));
    }

    static List<NodeView> nodes() {
        return List.of(
                new NodeView(
                        "node-3f9c2a1b7e6d5c4a",
                        "mac-mini",
                        "192.168.1.20:9121",
                        new Capabilities("darwin", "arm64", false, 32, List.of("xcode", "local"), List.of("docker")),
                        NodeStatus.ONLINE,
                        AS_OF.minusSeconds(12),
                        new RuntimeInfo("openclaw", "2026.9.6", true),
                        1,
                        4,
                        AS_OF.minusSeconds(86_400)),
                new NodeView(
                        "node-0a1b2c3d4e5f6a7b",
                        "linux-gpu",
                        "192.168.1.21:9121",
                        new Capabilities("linux", "amd64", true, 64, List.of("gpu"), List.of()),
                        NodeStatus.BUSY,
                        AS_OF.minusSeconds(5),
                        RuntimeInfo.echo(),
                        4,
                        4,
                        AS_OF.minusSeconds(3_600)),
                new NodeView(
                        "node-77aa66bb55cc44dd",
                        "laptop",
                        "",
                        new Capabilities("darwin", "arm64", false, 16, List.of(), List.of()),
                        NodeStatus.ONLINE,
                        AS_OF.minusSeconds(3),
                        new RuntimeInfo("openai", null, true),
                        0,
                        4,
                        AS_OF.minusSeconds(600),
                        ConnectMode.OUTBOUND),
                new NodeView(
                        "node-ffffeeeeddddcccc",
                        "old-box",
                        "192.168.1.22:9121",
                        Capabilities.none(),
                        NodeStatus.OFFLINE,
                        AS_OF.minusSeconds(7_200),
                        new RuntimeInfo("zeroclaw", "0.4.1", false),
                        0,
                        2,
                        AS_OF.minusSeconds(172_800)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = exchange.getRequestMethod().equals("GET")
                    ? this.answers.get(exchange.getRequestURI().getPath())
                    : null;
            if (body != null) {
                send(exchange, 200, "application/json", body);
                return;
            }
            ProblemType type = ProblemType.NOT_FOUND;
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", type.uri().toString());
            problem.put("title", type.title());
            problem.put("status", type.status().value());
            problem.put("detail", "no " + exchange.getRequestURI().getPath() + " on this stand-in");
            send(exchange, type.status().value(), ApiPaths.PROBLEM_JSON, JSON.writeValueAsBytes(problem));
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
