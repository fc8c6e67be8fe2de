package io.clawmesh.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI-compatible model for a real OpenClaw gateway that uses the mesh's MCP tools the way a real model would
 * (protocols/openclaw.md §7): for a prompt {@code hand to NODE: CONTENT} it asks for the mesh's {@code send_message}
 * tool with {@code {content: CONTENT, target: NODE}} and, given the tool's result, answers {@code node answered: } and
 * the result. OpenClaw 2026.9 does not list MCP tools to the model directly: they sit behind its {@code tool_search} /
 * {@code tool_call} tools (deferred tools), so the model searches for {@code send_message} first, then calls the id the
 * search found through {@code tool_call}; a tool named {@code …send_message} in the request's tools is called directly.
 * Any other prompt gets {@code echo: <prompt>}. Every model call is recorded as a {@link Step}.
 */
final class ToolCallingModelServer implements AutoCloseable {

    private static final Pattern TIMESTAMP = Pattern.compile("^\\[[^\\]]*\\]\\s*");

    private static final Pattern HAND_TO = Pattern.compile("hand to ([a-z0-9-]+): (.+)", Pattern.DOTALL);

    /** A search result's id for the mesh's tool, in the JSON text OpenClaw's {@code tool_search} answers. */
    private static final Pattern SEND_MESSAGE_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*send_message)\"");

    private static final String INTERNAL_CONTEXT = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>";

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpServer server;

    private final List<Step> steps = new CopyOnWriteArrayList<>();

    private final AtomicInteger otherRequests = new AtomicInteger();

    /**
     * One model call: the prompt of the turn, what the model did ({@code tool_search}, {@code tool_call <id>},
     * {@code direct <tool>}, {@code answer} or {@code echo}), and the tool result it was given (empty on the first
     * call of a turn).
     */
    record Step(String prompt, String action, String toolResult, String reply) {}

    ToolCallingModelServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    int port() {
        return this.server.getAddress().getPort();
    }

    List<Step> steps() {
        return List.copyOf(this.steps);
    }

    /** The steps of the turns whose prompt was {@code prompt}, in order. */
    List<Step> stepsFor(String prompt) {
        return this.steps.stream()
                .filter((step) -> step.prompt().equals(prompt))
                .toList();
    }

    /** Requests to anything but the completions endpoint: expected to stay 0. */
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
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, chunk(delta().put("role", "assistant"), null));
            Step step = answer(request, out);
            this.steps.add(step);
            ObjectNode usage = completion();
            usage.putArray("choices");
            usage.putObject("usage")
                    .put("prompt_tokens", 100)
                    .put("completion_tokens", 10)
                    .put("total_tokens", 110);
            send(out, usage);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Decides this call's move from the conversation and streams it; OpenClaw always asks with {@code stream:true}. */
    private Step answer(JsonNode request, OutputStream out) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            boolean internal = "user".equals(message.path("role").asString(""))
                    && text(message.path("content")).contains(INTERNAL_CONTEXT);
            if (!internal) {
                messages.add(message);
            }
        }
        String prompt = "";
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asString(""))) {
                prompt = clean(text(message.path("content")));
            }
        }
        JsonNode last = messages.getLast();
        Matcher handTo = HAND_TO.matcher(prompt);
        if (!handTo.matches()) {
            return text(out, prompt, "echo", "", "echo: " + prompt);
        }
        ObjectNode arguments =
                this.json.createObjectNode().put("content", handTo.group(2)).put("target", handTo.group(1));
        if ("user".equals(last.path("role").asString(""))) {
            for (JsonNode tool : request.path("tools")) {
                String name = tool.path("function").path("name").asString("");
                if (name.endsWith("send_message")) {
                    toolCall(out, "callsend", name, arguments);
                    return new Step(prompt, "direct " + name, "", "");
                }
            }
            toolCall(
                    out,
                    "callsearch",
                    "tool_search",
                    this.json.createObjectNode().put("query", "send_message"));
            return new Step(prompt, "tool_search", "", "");
        }
        String result = text(last.path("content"));
        JsonNode previous = messages.get(messages.size() - 2);
        String asked = previous.path("tool_calls")
                .path(0)
                .path("function")
                .path("name")
                .asString("");
        if ("tool_search".equals(asked)) {
            Matcher id = SEND_MESSAGE_ID.matcher(result);
            if (!id.find()) {
                return text(out, prompt, "answer", result, "the search found no send_message tool");
            }
            ObjectNode call = this.json.createObjectNode().put("id", id.group(1));
            call.set("args", arguments);
            toolCall(out, "callsend", "tool_call", call);
            return new Step(prompt, "tool_call " + id.group(1), result, "");
        }
        return text(out, prompt, "answer", result, "node answered: " + result);
    }

    private Step text(OutputStream out, String prompt, String action, String toolResult, String reply)
            throws IOException {
        send(out, chunk(delta().put("content", reply), null));
        send(out, chunk(delta(), "stop"));
        return new Step(prompt, action, toolResult, reply);
    }

    private void toolCall(OutputStream out, String id, String name, ObjectNode arguments) throws IOException {
        ObjectNode delta = delta();
        delta.putArray("tool_calls")
                .addObject()
                .put("index", 0)
                .put("id", id)
                .put("type", "function")
                .putObject("function")
                .put("name", name)
                .put("arguments", this.json.writeValueAsString(arguments));
        send(out, chunk(delta, null));
        send(out, chunk(delta(), "tool_calls"));
    }

    private ObjectNode delta() {
        return this.json.createObjectNode();
    }

    private ObjectNode chunk(ObjectNode delta, @Nullable String finishReason) {
        ObjectNode chunk = completion();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        choice.set("delta", delta);
        return chunk;
    }

    private ObjectNode completion() {
        return this.json
                .createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", "fake-tools");
    }

    private void send(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + this.json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
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

    /** The user's text without OpenClaw's timestamp prefix and {@code Runtime:} suffix. */
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
