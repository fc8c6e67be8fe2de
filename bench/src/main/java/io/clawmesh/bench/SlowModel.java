package io.clawmesh.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible model that takes {@code --seconds} per answer, streamed in five chunks, for the burst of long
 * tasks: a virtual thread per call, so a thousand calls at once cost little. Serves on loopback until killed.
 */
final class SlowModel {

    private SlowModel() {}

    static void serve(Map<String, String> options) throws Exception {
        int port = Integer.parseInt(BenchTool.required(options, "port"));
        Duration length = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5")));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", (exchange) -> answer(exchange, length));
        server.start();
        System.out.println("slow model on 127.0.0.1:" + port + ", " + length.toSeconds() + " s per answer");
        new CountDownLatch(1).await();
    }

    private static void answer(HttpExchange exchange, Duration length) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(length.dividedBy(5));
                String chunk = "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"part " + i + " \"},\"finish_reason\":null}]}";
                out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
