package io.clawmesh.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI-compatible model for a real OpenClaw gateway (protocols/openclaw.md §7): it answers
 * {@code POST /v1/chat/completions} with {@code echo: <prompt>} as SSE chunks, where the prompt is the user's text
 * without OpenClaw's timestamp prefix, {@code Runtime:} suffix and internal-context turn. Every call is recorded with
 * the conversation the model saw. A prompt starting with {@code slow-stream} is streamed word by word, one word per
 * {@link #SLOW_WORD_DELAY}, so a test can kill the gateway mid-stream or cancel the run; a stream the gateway closes
 * before its end (it aborted the run) is recorded in {@link #aborts()}.
 */
final class FakeModelServer implements AutoCloseable {

    static final Duration SLOW_WORD_DELAY = Duration.ofMillis(1500);

    private static final Pattern TIMESTAMP = Pattern.compile("^\\[[^\\]]*\\]\\s*");

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpServer server;

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private final AtomicInteger otherRequests = new AtomicInteger();

    private final List<String> aborts = new CopyOnWriteArrayList<>();

    /** One model call: the prompt it answered and the conversation it was given (role: text). */
    record Call(String prompt, List<String> conversation, String reply) {}

    FakeModelServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    int port() {
        return this.server.getAddress().getPort();
    }

    List<Call> calls() {
        return List.copyOf(this.calls);
    }

    /** The prompts whose stream the gateway closed before its end. */
    List<String> aborts() {
        return List.copyOf(this.aborts);
    }

    /** Requests to anything but the completions endpoint (for example the ClawHub redirect): expected to stay 0. */
    int otherRequests() {
        return this.otherRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
                this.otherRequests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            JsonNode request = this.json.readTree(exchange.getRequestBody());
            List<String> conversation = new ArrayList<>();
            String prompt = "";
            for (JsonNode message : request.path("messages")) {
                String role = message.path("role").asString("");
                String text = text(message.path("content"));
                conversation.add(role + ": " + text);
                if ("user".equals(role) && !text.contains("<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>")) {
                    prompt = clean(text);
                }
            }
            String reply = "echo: " + prompt;
            this.calls.add(new Call(prompt, List.copyOf(conversation), reply));
            if (request.path("stream").asBoolean(false)) {
                // only the prompt as sent: the gateway's resumption after a restart wraps it, and that answer comes at
                // once
                try {
                    stream(exchange, reply, prompt.startsWith("slow-stream"));
                } catch (IOException ex) {
                    // the gateway closed the stream before its end: it aborted the run
                    this.aborts.add(prompt);
                }
            } else {
                ObjectNode body = completion();
                body.putArray("choices")
                        .addObject()
                        .put("index", 0)
                        .put("finish_reason", "stop")
                        .putObject("message")
                        .put("role", "assistant")
                        .put("content", reply);
                byte[] bytes = this.json.writeValueAsBytes(body);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(HttpExchange exchange, String reply, boolean slow) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode first = chunk();
        first.putArray("choices")
                .addObject()
                .put("index", 0)
                .putNull("finish_reason")
                .putObject("delta")
                .put("role", "assistant");
        send(out, first);
        List<String> pieces = new ArrayList<>();
        if (slow) {
            for (String word : reply.split("(?<= )")) {
                pieces.add(word);
            }
        } else {
            pieces.add(reply);
        }
        for (String piece : pieces) {
            ObjectNode delta = chunk();
            delta.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("content", piece);
            send(out, delta);
            if (slow) {
                Thread.sleep(SLOW_WORD_DELAY);
            }
        }
        ObjectNode stop = chunk();
        stop.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("delta");
        send(out, stop);
        ObjectNode usage = chunk();
        usage.putArray("choices");
        usage.putObject("usage")
                .put("prompt_tokens", 100)
                .put("completion_tokens", pieces.size())
                .put("total_tokens", 100 + pieces.size());
        send(out, usage);
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void send(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + this.json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ObjectNode completion() {
        return this.json
                .createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", "fake-echo");
    }

    private ObjectNode chunk() {
        return completion().put("object", "chat.completion.chunk");
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private static String clean(String text) {
        String prompt = TIMESTAMP.matcher(text).replaceFirst("");
        int runtime = prompt.indexOf("\n\nRuntime:");
        return (runtime >= 0) ? prompt.substring(0, runtime) : prompt;
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
