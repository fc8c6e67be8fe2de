package io.clawmesh.agent.runtime.install;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stands in for {@code openclaw} in install tests: accepts only {@code gateway run --port P --bind loopback --auth
 * token}, prints the config path it was given, and answers {@code GET /healthz} as the real gateway does
 * ({@code {"ok":true,"status":"live"}}).
 */
public final class FakeOpenClawGatewayMain {

    private FakeOpenClawGatewayMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.size() != 8
                || !arguments.subList(0, 3).equals(List.of("gateway", "run", "--port"))
                || !arguments.subList(4, 8).equals(List.of("--bind", "loopback", "--auth", "token"))) {
            System.err.println("error: unexpected arguments " + arguments);
            System.exit(2);
        }
        HttpServer server =
                HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(arguments.get(3))), 0);
        server.createContext("/healthz", (exchange) -> {
            try (exchange) {
                byte[] body = "{\"ok\":true,\"status\":\"live\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        System.out.println("fake openclaw gateway on 127.0.0.1:" + arguments.get(3) + " config="
                + System.getenv("OPENCLAW_CONFIG_PATH"));
        Thread.currentThread().join();
    }
}
