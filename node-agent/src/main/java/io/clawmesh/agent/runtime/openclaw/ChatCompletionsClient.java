package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's OpenAI-compatible endpoint, {@code POST /v1/chat/completions} (protocols/openclaw.md §9): the bearer
 * token, the session in {@code x-openclaw-session-key} (the same session a WebSocket {@code agent} call uses), one
 * non-streamed completion per message, cancelled when the message is aborted. The gateway disables this endpoint by
 * default; its 404 says so.
 */
final class ChatCompletionsClient {

    private static final int MAX_ERROR_BODY = 300;

    private final OpenClawSettings settings;

    private final HttpClient http;

    private final JsonMapper json;

    private final Clock clock;

    ChatCompletionsClient(OpenClawSettings settings, HttpClient http, JsonMapper json, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The reply to {@code request}.
     *
     * @throws RuntimeFailureException with the reason: endpoint disabled (404), token rejected (401), the gateway's own
     *     error message, or no answer before the deadline
     */
    String send(RuntimeRequest request) {
        ObjectNode body = this.json.createObjectNode();
        body.put("model", "openclaw/default");
        body.putArray("messages").addObject().put("role", "user").put("content", request.content());
        Duration timeout = Duration.between(this.clock.instant(), request.deadline());
        if (timeout.isNegative() || timeout.isZero()) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME,
                    "the deadline of message " + request.messageId() + " passed before it was sent");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        this.settings.baseUrl().resolve("/v1/chat/completions"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
        if (this.settings.token() != null) {
            builder.header("Authorization", "Bearer " + this.settings.token());
        }
        if (request.sessionKey() != null) {
            builder.header("x-openclaw-session-key", request.sessionKey());
        }
        HttpResponse<String> response = exchange(builder.build(), request);
        return reply(response);
    }

    private HttpResponse<String> exchange(HttpRequest request, RuntimeRequest message) {
        if (message.abort().aborted()) {
            throw RunAbortedException.of(AgentRunner.RUNTIME, message.abort());
        }
        CompletableFuture<HttpResponse<String>> pending =
                this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        // an abort cancels the exchange: the connection closes, which is all HTTP offers to stop a completion
        message.abort().onAbort(() -> pending.cancel(true));
        try {
            return pending.get();
        } catch (CancellationException ex) {
            throw RunAbortedException.of(AgentRunner.RUNTIME, message.abort());
        } catch (ExecutionException ex) {
            if (message.abort().aborted()) {
                throw RunAbortedException.of(AgentRunner.RUNTIME, message.abort());
            }
            if (ex.getCause() instanceof HttpTimeoutException timeout) {
                throw new RuntimeFailureException(
                        AgentRunner.RUNTIME,
                        "no answer from " + request.uri()
                                + " within the gateway timeout (" + this.settings.timeout() + ") for message "
                                + message.messageId(),
                        timeout);
            }
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME, "cannot reach " + request.uri() + ": " + ex.getCause(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            throw new RuntimeFailureException(AgentRunner.RUNTIME, "interrupted while waiting for " + request.uri());
        }
    }

    private String reply(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 404) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME,
                    "POST /v1/chat/completions answered 404: the "
                            + "gateway's OpenAI-compatible endpoint is disabled; enable "
                            + "gateway.http.endpoints.chatCompletions.enabled in openclaw.json, or use the WebSocket "
                            + "(mesh.agent.gateway-transport=websocket)");
        }
        if (status == 401) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME,
                    "POST /v1/chat/completions answered 401: the "
                            + "gateway rejected the token; check mesh.agent.gateway-token against gateway.auth.token");
        }
        if (status != 200) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME,
                    "POST /v1/chat/completions answered " + status + ": " + errorMessage(response.body()));
        }
        try {
            JsonNode content = this.json
                    .readTree(response.body())
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content");
            if (!content.isString() || content.stringValue().isBlank()) {
                throw new RuntimeFailureException(
                        AgentRunner.RUNTIME,
                        "POST /v1/chat/completions answered 200 without a reply in choices[0].message.content");
            }
            return content.stringValue();
        } catch (JacksonException ex) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME, "POST /v1/chat/completions answered 200 with a body that is not JSON", ex);
        }
    }

    private String errorMessage(String body) {
        try {
            JsonNode message = this.json.readTree(body).path("error").path("message");
            if (message.isString()) {
                return message.stringValue();
            }
        } catch (JacksonException ex) {
            // not JSON: show the start of the body
        }
        return (body.length() > MAX_ERROR_BODY) ? body.substring(0, MAX_ERROR_BODY) + "…" : body;
    }
}
