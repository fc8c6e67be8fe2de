package io.clawmesh.agent.web;

import com.sun.net.httpserver.HttpExchange;
import io.clawmesh.common.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON request body into a record: checks the content type (415), caps the body at 1 MiB whether declared or
 * streamed (413), and reports unreadable JSON as {@link UnreadableBodyException} (400).
 */
public class JsonBodyReader {

    /** The largest accepted request body: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /**
     * How much of an oversized body is read and thrown away before answering 413, so that the client, still sending,
     * reads the answer instead of a reset connection (Tomcat's {@code maxSwallowSize} does the same). A larger body
     * costs the connection.
     */
    private static final long MAX_SWALLOW_BYTES = 2L * 1024 * 1024;

    private final JsonMapper json;

    public JsonBodyReader(JsonMapper json) {
        this.json = json;
    }

    /** The body as {@code type}; never {@code null}. */
    public <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        requireJson(exchange.getRequestHeaders().getFirst("Content-Type"));
        byte[] body = readBounded(exchange);
        if (body.length == 0) {
            throw new UnreadableBodyException(null);
        }
        T value;
        try {
            value = this.json.readValue(body, type);
        } catch (JacksonException ex) {
            throw new UnreadableBodyException(ex);
        }
        if (value == null) {
            throw new UnreadableBodyException(null);
        }
        return value;
    }

    private static byte[] readBounded(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if (declaredLength(exchange) > MAX_BODY_BYTES) {
            swallow(in);
            throw new RequestTooLargeException(MAX_BODY_BYTES);
        }
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            swallow(in);
            throw new RequestTooLargeException(MAX_BODY_BYTES);
        }
        return body;
    }

    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static void swallow(InputStream in) {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        try {
            int count;
            while (skipped < MAX_SWALLOW_BYTES && (count = in.read(buffer)) > 0) {
                skipped += count;
            }
        } catch (IOException ex) {
            // the client went away; the answer will not reach it either
        }
    }

    /** Accepts {@code application/json} and {@code application/*+json}, as Spring's JSON converter did. */
    private static void requireJson(@Nullable String contentType) {
        String mediaType =
                (contentType != null) ? contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT) : "";
        if (mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            return;
        }
        String shown = mediaType.isEmpty() ? "application/octet-stream" : mediaType;
        throw new RequestRejectedException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type '" + shown + "' is not supported; send application/json",
                Map.of("Accept", "application/json, application/*+json"));
    }
}
