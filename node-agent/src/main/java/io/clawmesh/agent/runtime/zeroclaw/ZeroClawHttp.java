package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.RunAbort;
import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP calls to one ZeroClaw gateway, with every transport failure turned into a {@link RuntimeFailureException}
 * that says what to do.
 */
class ZeroClawHttp {

    static final String KIND = "zeroclaw";

    private final URI base;

    private final HttpClient http;

    private final JsonMapper json = JsonMapper.builder().build();

    ZeroClawHttp(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    URI base() {
        return this.base;
    }

    HttpResponse<String> send(HttpRequest.Builder request, Duration timeout, String what) {
        try {
            return this.http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw failure(ex, timeout, what);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException(KIND, what + " was interrupted", ex);
        }
    }

    /**
     * Like {@link #send(HttpRequest.Builder, Duration, String)}, and {@code abort} cancels the exchange, which closes
     * its connection: ZeroClaw's handler is dropped with it.
     *
     * @throws RunAbortedException when the abort came before or during the call
     */
    HttpResponse<String> send(HttpRequest.Builder request, Duration timeout, String what, RunAbort abort) {
        if (abort.aborted()) {
            throw RunAbortedException.of(KIND, abort);
        }
        CompletableFuture<HttpResponse<String>> pending =
                this.http.sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        abort.onAbort(() -> pending.cancel(true));
        try {
            return pending.get();
        } catch (CancellationException ex) {
            throw RunAbortedException.of(KIND, abort);
        } catch (ExecutionException ex) {
            if (abort.aborted()) {
                throw RunAbortedException.of(KIND, abort);
            }
            Throwable cause = ex.getCause();
            if (cause instanceof IOException io) {
                throw failure(io, timeout, what);
            }
            throw new RuntimeFailureException(KIND, what + " at " + this.base + " failed: " + cause, cause);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            throw new RuntimeFailureException(KIND, what + " was interrupted", ex);
        }
    }

    private RuntimeFailureException failure(IOException ex, Duration timeout, String what) {
        if (ex instanceof HttpTimeoutException) {
            return new RuntimeFailureException(
                    KIND, "no answer from " + this.base + " to " + what + " within " + human(timeout), ex);
        }
        if (ex instanceof ConnectException || ex.getCause() instanceof ConnectException) {
            return new UnreachableException(notReachable(), ex);
        }
        return new RuntimeFailureException(
                KIND,
                what + " at " + this.base + " failed: " + ex.getClass().getSimpleName() + " " + ex.getMessage(),
                ex);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(this.base + pathAndQuery));
    }

    HttpRequest.BodyPublisher jsonBody(Object body) {
        return HttpRequest.BodyPublishers.ofByteArray(this.json.writeValueAsBytes(body));
    }

    byte[] jsonBytes(Object body) {
        return this.json.writeValueAsBytes(body);
    }

    /** The body as JSON, or an empty object when it is not JSON (ZeroClaw answers some timeouts with plain text). */
    JsonNode parse(HttpResponse<String> response) {
        try {
            JsonNode node = this.json.readTree(response.body());
            return (node != null && node.isObject()) ? node : this.json.createObjectNode();
        } catch (JacksonException ex) {
            return this.json.createObjectNode();
        }
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value != null && value.isString()) ? value.asString() : null;
    }

    String notReachable() {
        return "not reachable at " + this.base + " (connection refused): start it with 'zeroclaw daemon' (or "
                + "'zeroclaw gateway start -p " + this.base.getPort() + "'), or point --gateway-endpoint at it";
    }

    static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** Nobody listens at the gateway's address. */
    static final class UnreachableException extends RuntimeFailureException {

        UnreachableException(String reason, Throwable cause) {
            super(KIND, reason, cause);
        }
    }
}
