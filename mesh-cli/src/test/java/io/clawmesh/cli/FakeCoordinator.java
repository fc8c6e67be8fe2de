package io.clawmesh.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on a random loopback port standing in for the coordinator: tests give it canned answers per
 * {@code METHOD path} and read back the requests it got (method, path, headers, body). The CLI talks to it over real
 * HTTP, so its client, headers and error handling are exercised, not mocked.
 */
public final class FakeCoordinator implements AutoCloseable {

    /** The operator token tests use. */
    public static final String TOKEN = "operator-secret";

    private final HttpServer server;

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private final Map<String, Answer> prefixAnswers = new ConcurrentHashMap<>();

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** A request as received. */
    public record Request(
            String method,
            String path,
            Map<String, List<String>> headers,
            String body,
            @Nullable String query) {

        public String header(String name) {
            return this.headers.entrySet().stream()
                    .filter((e) -> e.getKey().equalsIgnoreCase(name))
                    .map((e) -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** What to answer: a status, a content type and a body, or a handler that writes the exchange itself. */
    public interface Answer {
        void write(HttpExchange exchange, Request request) throws IOException;
    }

    public FakeCoordinator() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    /** Answers {@code METHOD path} with JSON. */
    public FakeCoordinator json(String method, String path, int status, String body) {
        return answer(method, path, (exchange, request) -> send(exchange, status, "application/json", body));
    }

    /** Answers {@code METHOD path} with a problem body. */
    public FakeCoordinator problem(String method, String path, int status, String detail) {
        String body = "{\"type\":\"urn:clawmesh:problem:test\",\"title\":\"Refused\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        return answer(method, path, (exchange, request) -> send(exchange, status, "application/problem+json", body));
    }

    /** Answers {@code METHOD path} with a problem body of {@code type}, as the coordinator does. */
    public FakeCoordinator problem(String method, String path, ProblemType type, String detail) {
        String body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":"
                + type.status().value() + ",\"detail\":\"" + detail + "\"}";
        return answer(
                method,
                path,
                (exchange, request) -> send(exchange, type.status().value(), "application/problem+json", body));
    }

    public FakeCoordinator answer(String method, String path, Answer answer) {
        this.answers.put(method + " " + path, answer);
        return this;
    }

    /** Answers every {@code METHOD path} that starts with {@code pathPrefix} and has no exact answer. */
    public FakeCoordinator answerPrefix(String method, String pathPrefix, Answer answer) {
        this.prefixAnswers.put(method + " " + pathPrefix, answer);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(this.requests);
    }

    public Request last(String method, String path) {
        return this.requests.stream()
                .filter((r) -> r.method().equals(method) && r.path().equals(path))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + method + " " + path + " in " + this.requests));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()),
                body,
                exchange.getRequestURI().getRawQuery());
        this.requests.add(request);
        Answer answer = this.answers.get(request.method() + " " + request.path());
        if (answer == null) {
            answer = this.prefixAnswers.entrySet().stream()
                    .filter((e) -> (request.method() + " " + request.path()).startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }
        try {
            if (answer == null) {
                send(
                        exchange,
                        404,
                        "application/problem+json",
                        "{\"status\":404,\"detail\":\"no route for " + request.method() + " " + request.path() + "\"}");
            } else {
                answer.write(exchange, request);
            }
        } finally {
            exchange.close();
        }
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
