package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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
        } catch (HttpTimeoutException ex) {
            throw new RuntimeFailureException(
                    KIND, "no answer from " + this.base + " to " + what + " within " + human(timeout), ex);
        } catch (ConnectException ex) {
            throw new UnreachableException(notReachable(), ex);
        } catch (IOException ex) {
            throw new RuntimeFailureException(
                    KIND,
                    what + " at " + this.base + " failed: " + ex.getClass().getSimpleName() + " " + ex.getMessage(),
                    ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException(KIND, what + " was interrupted", ex);
        }
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
