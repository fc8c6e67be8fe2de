package io.clawmesh.agent.runtime.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible server on 127.0.0.1 ({@code /v1/chat/completions}, {@code /v1/models}): checks the API key and
 * the model, answers {@code echo: <text> (turn N)} where N counts the turns of the request's {@code user}, as one JSON
 * body or, for {@code stream:true}, as {@code chat.completion.chunk} server-sent events ending in {@code [DONE]}; a
 * held stream ({@link Mode#HOLD_MID_STREAM}) shows whether the client saw the first chunk early and whether it went
 * away.
 */
final class FakeOpenAiServer implements AutoCloseable {

    enum Mode {
        /** Answers as the request asks. */
        HONOUR_STREAM,
        /** Always answers one JSON body, as servers without streaming do. */
        JSON_ONLY,
        /** Streams, then reports an error inside the stream. */
        ERROR_MID_STREAM,
        /** Streams and drops the connection before {@code [DONE]}. */
        TRUNCATED_STREAM,
        /**
         * Streams the first half, then holds the stream open (a comment line every few milliseconds, so it notices a
         * client that went away) until {@link #release()}, then streams the rest.
         */
        HOLD_MID_STREAM
    }

    static final String KEY = "sk-test-key";

    static final String MODEL = "fake-echo";

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpServer server;

    private final Map<String, List<String>> conversations = new ConcurrentHashMap<>();

    final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    private volatile Mode mode = Mode.HONOUR_STREAM;

    /** Completed when a held stream may go on. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    /** Completed when a held stream has sent its first half. */
    final CompletableFuture<Void> holding = new CompletableFuture<>();

    /** Completed when a write to a held stream failed: the client closed the connection. */
    final CompletableFuture<Void> clientWentAway = new CompletableFuture<>();

    /** Completed when a held stream was sent to its end. */
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    FakeOpenAiServer() {
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    String base() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
    }

    FakeOpenAiServer mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Lets a held stream go on. */
    void release() {
        this.released.complete(null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "Incorrect API key provided", "invalid_request_error");
                return;
            }
            switch (route) {
                case "GET /v1/models" ->
                    send(
                            exchange,
                            200,
                            "application/json",
                            "{\"object\":\"list\",\"data\":" + "[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
                case "POST /v1/chat/completions" -> completions(exchange);
                default -> error(exchange, 404, "Not found", "not_found");
            }
        }
    }

    private void completions(HttpExchange exchange) throws IOException {
        JsonNode request = this.json.readTree(exchange.getRequestBody());
        this.requests.add(request);
        if (!MODEL.equals(request.path("model").asString(""))) {
            error(
                    exchange,
                    400,
                    "The model '" + request.path("model").asString("") + "' does not exist",
                    "invalid_request_error");
            return;
        }
        List<JsonNode> messages = List.copyOf(request.path("messages").values());
        String text = messages.get(messages.size() - 1).path("content").asString();
        String user = request.path("user").asString(null);
        int turn = 1;
        if (user != null) {
            List<String> conversation = this.conversations.computeIfAbsent(user, (key) -> new CopyOnWriteArrayList<>());
            conversation.add(text);
            turn = conversation.size();
        }
        String reply = "echo: " + text + " (turn " + turn + ")";
        boolean stream = request.path("stream").asBoolean(false) && this.mode != Mode.JSON_ONLY;
        if (!stream) {
            send(
                    exchange,
                    200,
                    "application/json",
                    this.json.writeValueAsString(Map.of(
                            "id",
                            "chatcmpl-1",
                            "object",
                            "chat.completion",
                            "model",
                            MODEL,
                            "choices",
                            List.of(Map.of(
                                    "index",
                                    0,
                                    "message",
                                    Map.of("role", "assistant", "content", reply),
                                    "finish_reason",
                                    "stop")))));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        event(out, chunk(Map.of("role", "assistant"), null));
        int half = reply.length() / 2;
        event(out, chunk(Map.of("content", reply.substring(0, half)), null));
        if (this.mode == Mode.TRUNCATED_STREAM) {
            return;
        }
        if (this.mode == Mode.HOLD_MID_STREAM && !hold(out)) {
            return;
        }
        if (this.mode == Mode.ERROR_MID_STREAM) {
            event(out, "{\"error\":{\"message\":\"upstream model crashed\",\"type\":\"server_error\"}}");
            return;
        }
        out.write(": keep-alive comment\n\n".getBytes(StandardCharsets.UTF_8));
        event(out, chunk(Map.of("content", reply.substring(half)), null));
        event(out, chunk(Map.of(), "stop"));
        event(out, "[DONE]");
        this.finished.complete(null);
    }

    /** Holds the stream open until released; false when the client went away meanwhile. */
    private boolean hold(OutputStream out) {
        this.holding.complete(null);
        while (!this.released.isDone()) {
            try {
                out.write(": holding\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                this.released.get(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (IOException ex) {
                this.clientWentAway.complete(null);
                return false;
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
                // not released yet: write the next comment, which fails once the client is gone
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private String chunk(Map<String, String> delta, @Nullable String finishReason) {
        Map<String, Object> choice = new java.util.HashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        return this.json.writeValueAsString(Map.of(
                "id", "chatcmpl-1", "object", "chat.completion.chunk", "model", MODEL, "choices", List.of(choice)));
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void error(HttpExchange exchange, int status, String message, String type) throws IOException {
        send(
                exchange,
                status,
                "application/json",
                this.json.writeValueAsString(Map.of("error", Map.of("message", message, "type", type))));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
