package io.clawmesh.bench;

import io.clawmesh.common.api.ApiPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds many idle outbound connections (ADR 0010) so the lead can measure the coordinator's memory per connection and
 * its heartbeat handling: registers {@code --count} outbound nodes, opens one WebSocket per node with its node token,
 * sends a {@code heartbeat} frame per node every {@code --heartbeat} seconds, and keeps them for {@code --seconds}.
 *
 * <pre>
 * --mode idle-links --url http://127.0.0.1:9180 --token OPERATOR --count 2000 --seconds 120 --heartbeat 15
 * </pre>
 */
final class IdleLinks {

    private IdleLinks() {}

    static void hold(Map<String, String> options) throws Exception {
        String url = BenchTool.required(options, "url");
        String token = BenchTool.required(options, "token");
        int count = Integer.parseInt(options.getOrDefault("count", "2000"));
        Duration hold = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "60")));
        Duration heartbeat = Duration.ofSeconds(Long.parseLong(options.getOrDefault("heartbeat", "15")));
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger closed = new AtomicInteger();
        List<WebSocket> sockets = new ArrayList<>(count);
        Instant begin = Instant.now();
        String frame = "{\"type\":\"heartbeat\",\"heartbeat\":{\"status\":\"online\",\"inflight\":0}}";
        Instant nextRound = begin.plus(heartbeat);
        for (int i = 0; i < count; i++) {
            if (Instant.now().isAfter(nextRound)) {
                // opening takes minutes: the connections already open heartbeat meanwhile, as agents would
                for (WebSocket socket : sockets) {
                    if (!socket.isOutputClosed()) {
                        socket.sendText(frame, true).join();
                    }
                }
                nextRound = Instant.now().plus(heartbeat);
            }
            String[] node = register(http, url, token, "link-" + i);
            URI connect = URI.create(url.replaceFirst("^http", "ws") + ApiPaths.NODES + "/" + node[0] + "/connect");
            sockets.add(http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + node[1])
                    .buildAsync(connect, new WebSocket.Listener() {
                        @Override
                        public CompletableFuture<?> onClose(WebSocket socket, int status, String reason) {
                            closed.incrementAndGet();
                            return null;
                        }
                    })
                    .join());
        }
        System.out.printf(
                "connections=%d opened_in_ms=%d%n",
                sockets.size(), Duration.between(begin, Instant.now()).toMillis());
        AtomicLong sent = new AtomicLong();
        Instant end = Instant.now().plus(hold);
        while (Instant.now().isBefore(end)) {
            Instant round = Instant.now();
            for (WebSocket socket : sockets) {
                if (!socket.isOutputClosed()) {
                    socket.sendText(frame, true).join();
                    sent.incrementAndGet();
                }
            }
            System.out.printf(
                    "heartbeats_sent=%d round_ms=%d closed_by_coordinator=%d%n",
                    sent.get(), Duration.between(round, Instant.now()).toMillis(), closed.get());
            Thread.sleep(Math.max(
                    0,
                    Math.min(
                            heartbeat.toMillis(),
                            Duration.between(Instant.now(), end).toMillis())));
        }
        for (WebSocket socket : sockets) {
            socket.abort();
        }
    }

    /** Registers one outbound node without an endpoint; answers its id and node token. */
    private static String[] register(HttpClient http, String url, String token, String name) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"connect\":\"outbound\",\"capabilities\":{\"os\":\"linux\","
                + "\"arch\":\"amd64\",\"gpu\":false,\"memory_gb\":1,\"tags\":[\"link\"],\"skills\":[]}}";
        String answer = BenchTool.registerNode(http, url, token, name, body);
        return new String[] {BenchTool.field(answer, "node_id"), BenchTool.field(answer, "token")};
    }
}
