package io.clawmesh.coordinator.openai;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.fastpath.FastPathRequests;
import io.clawmesh.coordinator.forwarding.ClientGoneException;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.keys.RateLimitedException;
import io.clawmesh.coordinator.security.ApiSecurityHeaders;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.security.ProblemWriter;
import io.clawmesh.coordinator.security.TokenAuthenticationFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The front door's fast path: serves a plain (not streamed) {@code POST /v1/chat/completions} straight on the servlet
 * API, so that a completion does not pay for the security filter chain and Spring MVC's dispatch, the way
 * {@code RouteRequestFilter} serves {@code /api/v1/route} (ADR 0006, ADR 0015).
 * <p>
 * It takes a request only when all of this holds: the raw path is exactly {@code /v1/chat/completions} without a
 * query; the headers it reads have no control characters; the bearer token is the operator token or a live client
 * key; the body is JSON in UTF-8; the client accepts JSON and does not ask for {@code text/event-stream}; and the body
 * does not ask for {@code stream: true}. Anything else goes down the filter chain to the security chain and
 * {@code ChatCompletionsController}, which answer as they always did (a streamed request with its body as read here).
 * For the requests it takes it does what that chain does: a client key is counted against its rate limit (429 with
 * {@code Retry-After}) and its use recorded ({@link ClientKeys#use}), the key's models are enforced, errors are
 * answered by the application's exception handlers in OpenAI's shape, and answers carry the API's security headers.
 */
final class ChatCompletionFilter extends OncePerRequestFilter {

    private final ChatCompleter completer;

    private final OperatorToken tokens;

    private final ClientKeys clientKeys;

    private final ProblemWriter problems;

    private final JsonMapper json;

    private final HandlerExceptionResolver exceptionResolver;

    ChatCompletionFilter(
            ChatCompleter completer,
            OperatorToken tokens,
            ClientKeys clientKeys,
            ProblemWriter problems,
            JsonMapper json,
            HandlerExceptionResolver exceptionResolver) {
        this.completer = completer;
        this.tokens = tokens;
        this.clientKeys = clientKeys;
        this.problems = problems;
        this.json = json;
        this.exceptionResolver = exceptionResolver;
    }

    /** Who the caller is on the fast path: the operator (no key) or a client key. */
    private record Caller(@Nullable ClientKey key) {}

    /** The body as read: the JSON, or why it could not be read as Spring MVC would say it. */
    private record Body(
            byte @Nullable [] bytes,
            @Nullable JsonNode json,
            @Nullable RuntimeException failure) {

        boolean streamed() {
            return this.json != null
                    && this.json.isObject()
                    && this.json.path("stream").isBoolean()
                    && this.json.path("stream").booleanValue();
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod())
                || !request.getRequestURI()
                        .startsWith(
                                ApiPaths.CHAT_COMPLETIONS,
                                request.getContextPath().length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String contentType = request.getContentType();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        String session = request.getHeader(ApiPaths.SESSION_KEY_HEADER);
        Optional<Caller> caller = (path.equals(ApiPaths.CHAT_COMPLETIONS)
                        && request.getQueryString() == null
                        && FastPathRequests.printable(authorization)
                        && FastPathRequests.printable(contentType)
                        && FastPathRequests.printable(accept)
                        && FastPathRequests.printable(session)
                        && FastPathRequests.isUtf8Json(contentType)
                        && FastPathRequests.acceptsJson(accept))
                ? caller(authorization)
                : Optional.empty();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Body body = read(request);
        if (body.streamed()) {
            chain.doFilter(FastPathRequests.withBody(request, body.bytes()), response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent((context) -> context.setPathPattern(ApiPaths.CHAT_COMPLETIONS));
        ApiSecurityHeaders.write(request, response);
        ClientKey key = caller.get().key();
        if (key != null && !use(key, request, response)) {
            return;
        }
        byte[] answer;
        try {
            if (body.failure() != null) {
                throw body.failure();
            }
            ChatRequest chat = ChatRequest.of(body.json(), session);
            answer = this.json.writeValueAsBytes(this.completer.complete(chat, key, request));
        } catch (ClientGoneException ex) {
            return; // logged by the forwarder; the node's stream is closed, so the run is aborted
        } catch (Exception ex) {
            if (response.isCommitted()
                    || this.exceptionResolver.resolveException(request, response, null, ex) == null) {
                if (ex instanceof IOException io) {
                    throw io;
                }
                throw new ServletException(ex);
            }
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        try {
            response.getOutputStream().write(answer);
        } catch (IOException ex) {
            // The message was routed and logged; only the caller is gone.
            logger.debug("Could not write a chat completion: the client has gone (" + ex + ")");
        }
    }

    /**
     * The operator (checked first, as the security chain does) or a live client key; empty for every other token,
     * whose answer (401 for an unknown or revoked key, 403 for a node token) is the security chain's.
     */
    private Optional<Caller> caller(@Nullable String authorization) {
        String token = TokenAuthenticationFilter.bearerToken(authorization);
        if (token == null) {
            return Optional.empty();
        }
        if (this.tokens.isOperator(token)) {
            return Optional.of(new Caller(null));
        }
        if (ClientKeys.isClientKey(token)) {
            return this.clientKeys.authenticate(token).map(Caller::new);
        }
        return Optional.empty();
    }

    /** Counts the key's use as the security chain does; answers 429 and false when it is over its rate. */
    private boolean use(ClientKey key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            this.clientKeys.use(key);
            return true;
        } catch (RateLimitedException ex) {
            response.setHeader(
                    HttpHeaders.RETRY_AFTER,
                    String.valueOf(Math.max(1, ex.retryAfter().toSeconds())));
            this.problems.write(request, response, Problems.of(ProblemType.RATE_LIMITED, ex.getMessage()));
            return false;
        }
    }

    /** Reads the body as Spring MVC's JSON converter would, keeping the fault it would report. */
    private Body read(HttpServletRequest request) {
        byte[] bytes;
        try {
            bytes = request.getInputStream().readAllBytes();
        } catch (IOException ex) {
            return new Body(
                    null,
                    null,
                    new HttpMessageNotReadableException(
                            "I/O error while reading input message", ex, new ServletServerHttpRequest(request)));
        }
        if (bytes.length == 0) {
            return new Body(
                    bytes,
                    null,
                    new HttpMessageNotReadableException(
                            "Required request body is missing", new ServletServerHttpRequest(request)));
        }
        try {
            JsonNode json = this.json.readValue(bytes, JsonNode.class);
            if (json == null) {
                return new Body(
                        bytes,
                        null,
                        new HttpMessageNotReadableException(
                                "Required request body is missing", new ServletServerHttpRequest(request)));
            }
            return new Body(bytes, json, null);
        } catch (JacksonException ex) {
            return new Body(
                    bytes,
                    null,
                    new HttpMessageNotReadableException(
                            "JSON parse error: " + ex.getOriginalMessage(), ex, new ServletServerHttpRequest(request)));
        }
    }
}
