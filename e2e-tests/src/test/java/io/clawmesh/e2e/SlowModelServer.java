package io.clawmesh.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A slow OpenAI-compatible model for an agent started with {@code --mesh.agent.runtime=openai}: it answers every
 * {@code POST /v1/chat/completions} with {@code echo: <prompt>} streamed word by word, one word every {@code delay}, as
 * SSE chunks ending with {@code [DONE]}. It logs every call, how many run at once, and every abort: a client that closes
 * the stream before the end (the agent's cancel and timeout). Runs in the test JVM; the mesh around it is real
 * processes.
 */
final class SlowModelServer implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpServer server;

    private final Duration delay;

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final List<String> aborts = new CopyOnWriteArrayList<>();

    private final List<String> completed = new CopyOnWriteArrayList<>();

    private final AtomicInteger running = new AtomicInteger();

    private final AtomicInteger maxRunning = new AtomicInteger();

    SlowModelServer(Duration delay) throws IOException {
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /** The base URL to give the agent as {@code --mesh.agent.api-base}. */
    String apiBase() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
    }

    /** The reply the model streams for a prompt. */
    static String replyTo(String prompt) {
        return "echo: " + prompt;
    }

    /** Prompts in the order their calls arrived; a prompt run twice shows twice. */
    List<String> calls() {
        return List.copyOf(this.calls);
    }

    /** How many calls a prompt got. */
    long callsFor(String prompt) {
        return this.calls.stream().filter(prompt::equals).count();
    }

    /** Prompts whose stream the client closed before the end. */
    List<String> aborts() {
        return List.copyOf(this.aborts);
    }

    /** Prompts streamed to the end. */
    List<String> completed() {
        return List.copyOf(this.completed);
    }

    /** The most calls that ran at the same time. */
    int maxConcurrentCalls() {
        return this.maxRunning.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            JsonNode request = this.json.readTree(exchange.getRequestBody());
            String prompt = "";
            for (JsonNode message : request.path("messages")) {
                if ("user".equals(message.path("role").asString(""))) {
                    prompt = message.path("content").asString("");
                }
            }
            this.calls.add(prompt);
            this.maxRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
            try {
                stream(exchange, prompt);
                this.completed.add(prompt);
            } catch (IOException ex) {
                // the client closed the stream: the agent aborted the run
                this.aborts.add(prompt);
            } finally {
                this.running.decrementAndGet();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(HttpExchange exchange, String prompt) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String word : replyTo(prompt).split("(?<= )")) {
            ObjectNode chunk = chunk();
            chunk.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("content", word);
            send(out, chunk);
            Thread.sleep(this.delay);
        }
        ObjectNode stop = chunk();
        stop.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("delta");
        send(out, stop);
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void send(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + this.json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ObjectNode chunk() {
        return this.json
                .createObjectNode()
                .put("id", "chatcmpl-slow")
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", "slow");
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
