package io.clawmesh.agent.runtime.openai;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.DeltaListener;
import io.clawmesh.agent.runtime.ProbedConnection;
import io.clawmesh.agent.runtime.RunAbort;
import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import io.clawmesh.common.node.RuntimeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to any OpenAI-compatible endpoint: one {@code POST {base}/chat/completions} per message, asking for a stream
 * and reading whichever the server answers (server-sent events or one JSON body), passing the chunks on as they arrive
 * when streamed. The session key travels in the {@code user} field, which servers that keep conversations (OpenClaw
 * among them) use to scope them. An abort or the deadline cancels the exchange and closes the response stream.
 */
public class OpenAiRuntime implements AgentRuntime {

    private static final Logger logger = LoggerFactory.getLogger(OpenAiRuntime.class);

    static final String KIND = "openai";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** The longest reply body read, so a misbehaving server cannot fill the agent's small heap. */
    private static final int MAX_REPLY_CHARS = 4 * 1024 * 1024;

    private final OpenAiSettings settings;

    private final HttpClient http;

    private final Clock clock;

    private final JsonMapper json = JsonMapper.builder().build();

    private final ProbedConnection connection;

    public OpenAiRuntime(OpenAiSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.connection = new ProbedConnection(KIND, this::reachable, Duration.ofSeconds(5), clock);
        logger.info("Runtime: OpenAI-compatible endpoint {} with model {}", settings.baseUri(), settings.model());
    }

    @Override
    public RuntimeInfo info() {
        return new RuntimeInfo(KIND, null, this.connection.connected());
    }

    @Override
    public String send(RuntimeRequest request) {
        return exchange(request, StreamedReply.unstreamed(KIND));
    }

    /**
     * Streams the reply as the endpoint's server-sent chunks arrive ({@code choices[0].delta.content}, until
     * {@code [DONE]}); an endpoint that answers one JSON body gives one piece. An abort or the deadline closes the
     * response stream, so the server sees the connection go away and stops generating.
     */
    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        return exchange(request, StreamedReply.to(KIND, deltas));
    }

    private String exchange(RuntimeRequest request, StreamedReply reply) {
        RunAbort abort = request.abort();
        if (abort.aborted()) {
            throw RunAbortedException.of(KIND, abort);
        }
        Duration left = Duration.between(this.clock.instant(), request.deadline());
        logger.debug("Message {} sent to {} ({} left)", request.messageId(), this.settings.baseUri(), left);
        ResponseStop stop = new ResponseStop();
        abort.onAbort(stop::stop);
        CompletableFuture.runAsync(
                stop::timeOut, CompletableFuture.delayedExecutor(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS));
        try {
            return readResponse(
                    stop, stop.await(this.http.sendAsync(completion(request, left), stop.bodyHandler())), reply);
        } catch (HttpTimeoutException ex) {
            throw timedOut(ex);
        } catch (ConnectException ex) {
            this.connection.update(false);
            throw new RuntimeFailureException(
                    KIND,
                    "not reachable at " + this.settings.baseUri() + " (connection refused); check --api-base",
                    ex);
        } catch (IOException | RuntimeException ex) {
            if (abort.aborted()) {
                throw RunAbortedException.of(KIND, abort);
            }
            if (stop.timedOut()) {
                throw timedOut(ex);
            }
            if (ex instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new RuntimeFailureException(
                    KIND,
                    "the call to " + this.settings.baseUri() + " failed: "
                            + ex.getClass().getSimpleName() + " " + ex.getMessage(),
                    ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            stop.stop();
            throw new RuntimeFailureException(KIND, "interrupted while waiting for the reply", ex);
        } finally {
            stop.done();
        }
    }

    private HttpRequest completion(RuntimeRequest request, Duration left) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", this.settings.model());
        body.put("messages", List.of(Map.of("role", "user", "content", request.content())));
        body.put("stream", true);
        if (request.sessionKey() != null && !request.sessionKey().isEmpty()) {
            body.put("user", request.sessionKey());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint("/chat/completions"))
                .timeout(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(this.json.writeValueAsBytes(body)));
        authorize(builder);
        return builder.build();
    }

    private String readResponse(ResponseStop stop, HttpResponse<InputStream> response, StreamedReply reply)
            throws IOException {
        this.connection.update(true);
        try (InputStream stream = stop.reading(response.body())) {
            String contentType =
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (response.statusCode() / 100 != 2) {
                throw fail(refusal(response.statusCode(), readBounded(stream)));
            }
            return contentType.startsWith("text/event-stream") ? readStream(stream, reply) : readJson(stream, reply);
        }
    }

    private RuntimeFailureException timedOut(Exception cause) {
        return new RuntimeFailureException(
                KIND,
                "no reply from " + this.settings.baseUri() + " within the gateway "
                        + "timeout (mesh.agent.gateway-timeout)",
                cause);
    }

    private String readJson(InputStream stream, StreamedReply reply) throws IOException {
        JsonNode body = parse(readBounded(stream));
        JsonNode content = body.path("choices").path(0).path("message").path("content");
        if (!content.isString()) {
            throw fail("the endpoint answered without choices[0].message.content");
        }
        return reply.finish(content.asString());
    }

    private String readStream(InputStream stream, StreamedReply reply) throws IOException {
        StreamLines lines = new StreamLines(stream, MAX_REPLY_CHARS);
        boolean done = false;
        String line;
        while (!done && (line = lines.next()) != null) {
            if (!line.startsWith("data:")) {
                continue; // comments, event names, blank separators
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = parse(data);
            if (chunk.has("error")) {
                throw fail("the endpoint reported an error mid-stream: " + errorMessage(chunk));
            }
            JsonNode delta = chunk.path("choices").path(0).path("delta").path("content");
            if (delta.isString()) {
                if (reply.length() + delta.asString().length() > MAX_REPLY_CHARS) {
                    throw fail("the reply is longer than " + MAX_REPLY_CHARS + " characters");
                }
                reply.piece(delta.asString());
            }
        }
        if (!done) {
            throw fail("the stream ended without 'data: [DONE]' after " + reply.length() + " characters");
        }
        return reply.text();
    }

    private JsonNode parse(String text) {
        try {
            return this.json.readTree(text);
        } catch (JacksonException ex) {
            throw fail("the endpoint answered something that is not JSON: " + abbreviate(text));
        }
    }

    private String refusal(int status, String body) {
        String message;
        try {
            message = errorMessage(this.json.readTree(body));
        } catch (JacksonException ex) {
            message = abbreviate(body);
        }
        String detail = status + (message.isEmpty() ? "" : ": " + message);
        return switch (status) {
            case 401, 403 -> "the endpoint refused the API key (" + detail + "); check --api-key";
            case 404 ->
                "no chat completions endpoint at " + endpoint("/chat/completions") + " (" + detail
                        + "); check --api-base, which usually ends in /v1";
            case 400 -> "the endpoint rejected the request (" + detail + "); check --api-model";
            case 429 -> "the endpoint is rate-limiting (" + detail + ")";
            default -> "the endpoint answered " + detail;
        };
    }

    private static String errorMessage(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isString()) {
            return error.asString();
        }
        JsonNode message = error.path("message");
        return message.isString() ? message.asString() : "";
    }

    private boolean reachable() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint("/models"))
                .timeout(PROBE_TIMEOUT)
                .GET();
        authorize(builder);
        try {
            int status = this.http
                    .send(builder.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return status < 500;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void authorize(HttpRequest.Builder builder) {
        if (this.settings.apiKey() != null) {
            builder.header("Authorization", "Bearer " + this.settings.apiKey());
        }
    }

    private URI endpoint(String path) {
        return URI.create(this.settings.baseUri() + path);
    }

    private static String readBounded(InputStream stream) throws IOException {
        byte[] bytes = stream.readNBytes(MAX_REPLY_CHARS);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return (flat.length() > 200) ? flat.substring(0, 200) + "…" : flat;
    }

    private static RuntimeFailureException fail(String reason) {
        return new RuntimeFailureException(KIND, reason);
    }
}
