package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One turn over ZeroClaw's streaming chat, {@code GET /ws/chat?agent=<alias>&session_id=<id>} with subprotocol
 * {@code zeroclaw.v1} (protocols/zeroclaw.md §6): one WebSocket per message, the message sent as
 * {@code {"type":"message","content":…}}, each {@code chunk} passed on as it arrives, {@code done} ends the turn with
 * its {@code full_response}, {@code error} fails it. An abort, or the deadline, closes the WebSocket, which is how a
 * ZeroClaw turn is stopped from the outside.
 */
final class ZeroClawChatSocket {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawChatSocket.class);

    static final String SUBPROTOCOL = "zeroclaw.v1";

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private final URI base;

    private final HttpClient client;

    private final Clock clock;

    private final JsonMapper json = JsonMapper.builder().build();

    ZeroClawChatSocket(URI base, HttpClient client, Clock clock) {
        this.base = base;
        this.client = client;
        this.clock = clock;
    }

    /**
     * Runs {@code request} as one turn of {@code agent}, its chunks passed on to {@code reply}.
     *
     * @throws UpgradeRefusedException when ZeroClaw answered the upgrade with an HTTP status (no turn ran)
     * @throws RunAbortedException when the request's abort was called (the WebSocket is then closed)
     * @throws RuntimeFailureException when ZeroClaw is unreachable, reports an error, closes the WebSocket before
     *     {@code done}, or the deadline passes
     */
    String turn(RuntimeRequest request, String agent, @Nullable String bearer, StreamedReply reply) {
        Frames frames = new Frames();
        request.abort().onAbort(frames::abortRequested);
        WebSocket socket = open(request, agent, bearer, frames);
        try {
            socket.sendText(
                    this.json.writeValueAsString(Map.of("type", "message", "content", request.content())), true);
            return readTurn(request, frames, reply);
        } finally {
            close(socket);
        }
    }

    private WebSocket open(RuntimeRequest request, String agent, @Nullable String bearer, Frames frames) {
        StringBuilder query = new StringBuilder("?agent=").append(URLEncoder.encode(agent, StandardCharsets.UTF_8));
        if (request.sessionKey() != null && !request.sessionKey().isEmpty()) {
            query.append("&session_id=").append(ZeroClawRuntime.sessionId(request.sessionKey()));
        }
        URI uri = URI.create(this.base.toString().replaceFirst("^http", "ws") + "/ws/chat" + query);
        WebSocket.Builder builder = this.client
                .newWebSocketBuilder()
                .subprotocols(SUBPROTOCOL)
                .connectTimeout(atLeastOneSecond(request.deadline()));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, frames);
        try {
            CompletableFuture.anyOf(opening, frames.aborted)
                    .get(atLeastOneSecond(request.deadline()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw openFailed(ex.getCause());
        } catch (TimeoutException ex) {
            opening.cancel(true);
            throw new RuntimeFailureException(
                    ZeroClawHttp.KIND, "no answer from " + this.base + " to the /ws/chat upgrade before the deadline");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            opening.cancel(true);
            throw new RuntimeFailureException(ZeroClawHttp.KIND, "interrupted while opening /ws/chat", ex);
        }
        if (request.abort().aborted()) {
            opening.thenAccept(this::close);
            throw RunAbortedException.of(ZeroClawHttp.KIND, request.abort());
        }
        return opening.join();
    }

    private RuntimeException openFailed(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause.getCause() instanceof ConnectException connect) {
            cause = connect;
        }
        if (cause instanceof WebSocketHandshakeException refused) {
            return new UpgradeRefusedException(refused.getResponse().statusCode(), refused);
        }
        if (cause instanceof ConnectException refused) {
            return new ZeroClawHttp.UnreachableException(
                    new ZeroClawHttp(this.base, this.client).notReachable(), refused);
        }
        return new RuntimeFailureException(
                ZeroClawHttp.KIND,
                "/ws/chat at " + this.base + " failed: " + cause.getClass().getSimpleName() + " " + cause.getMessage(),
                cause);
    }

    private String readTurn(RuntimeRequest request, Frames frames, StreamedReply reply) {
        while (true) {
            Object item = frames.next(request.deadline(), this.clock);
            if (item == Frames.ABORT) {
                throw RunAbortedException.of(ZeroClawHttp.KIND, request.abort());
            }
            if (item == null) {
                throw new RuntimeFailureException(
                        ZeroClawHttp.KIND,
                        "no answer from " + this.base + " to message " + request.messageId() + " before its deadline"
                                + (reply.length() > 0 ? " (after " + reply.length() + " characters)" : "")
                                + "; the WebSocket was closed, which stops the turn");
            }
            if (item instanceof Ended ended) {
                throw new RuntimeFailureException(
                        ZeroClawHttp.KIND,
                        "ZeroClaw ended /ws/chat before the turn was done (" + ended.why() + ") after " + reply.length()
                                + " characters");
            }
            JsonNode frame = parse((String) item);
            String type = frame.path("type").asString("");
            switch (type) {
                case "chunk" -> reply.piece(frame.path("content").asString(""));
                case "done" -> {
                    JsonNode full = frame.path("full_response");
                    return full.isString() ? reply.finish(full.asString()) : reply.text();
                }
                case "error" ->
                    throw new RuntimeFailureException(
                            ZeroClawHttp.KIND,
                            "ZeroClaw reported an error during the turn: "
                                    + frame.path("message")
                                            .asString(frame.path("error").asString(frame.toString())));
                case "approval_request" ->
                    logger.warn(
                            "ZeroClaw asks for the approval of a tool call during message {}, which the mesh cannot "
                                    + "give; the turn waits for it until its deadline",
                            request.messageId());
                default -> logger.debug("ZeroClaw /ws/chat frame {} during message {}", type, request.messageId());
            }
        }
    }

    private JsonNode parse(String text) {
        try {
            return this.json.readTree(text);
        } catch (JacksonException ex) {
            throw new RuntimeFailureException(ZeroClawHttp.KIND, "ZeroClaw sent a /ws/chat frame that is not JSON");
        }
    }

    /** Closes politely, then drops the connection: a close frame when it can go, and the TCP connection always. */
    private void close(WebSocket socket) {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | IllegalStateException ex) {
            // already closing or gone: the abort below ends it either way
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            socket.abort();
        }
    }

    private Duration atLeastOneSecond(Instant deadline) {
        Duration left = Duration.between(this.clock.instant(), deadline);
        return (left.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : left;
    }

    /** ZeroClaw answered the WebSocket upgrade with an HTTP status instead of switching protocols. */
    static final class UpgradeRefusedException extends RuntimeException {

        private final int status;

        UpgradeRefusedException(int status, Throwable cause) {
            super("/ws/chat upgrade answered " + status, cause);
            this.status = status;
        }

        int status() {
            return this.status;
        }
    }

    private record Ended(String why) {}

    /** The text frames of one WebSocket, in order, then its end; or the request to abort, first. */
    private static final class Frames implements WebSocket.Listener {

        static final Object ABORT = new Object();

        final CompletableFuture<Void> aborted = new CompletableFuture<>();

        private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();

        private final StringBuilder partial = new StringBuilder();

        void abortRequested() {
            this.aborted.complete(null);
            this.items.add(ABORT);
        }

        @Nullable
        Object next(Instant until, Clock clock) {
            if (this.aborted.isDone()) {
                return ABORT;
            }
            long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
            try {
                Object item = this.items.poll(millis, TimeUnit.MILLISECONDS);
                return this.aborted.isDone() ? ABORT : item;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailureException(ZeroClawHttp.KIND, "interrupted while waiting for the turn", ex);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            this.partial.append(data);
            if (last) {
                this.items.add(this.partial.toString());
                this.partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            this.items.add(new Ended("close " + statusCode + (reason.isEmpty() ? "" : " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            this.items.add(new Ended(error.getClass().getSimpleName() + " " + error.getMessage()));
        }
    }
}
