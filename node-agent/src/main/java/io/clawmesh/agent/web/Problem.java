package io.clawmesh.agent.web;

import io.clawmesh.common.api.ApiPaths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * An RFC 9457 problem answer: status, stable slug ({@code urn:clawmesh:problem:<slug>}), a detail that says what to
 * fix, headers such as {@code Retry-After}, and extra members such as the failed runtime.
 */
public record Problem(
        int status, String slug, @Nullable String detail, Map<String, String> headers, Map<String, Object> extra) {

    public Problem(int status, String slug, @Nullable String detail) {
        this(status, slug, detail, Map.of(), Map.of());
    }

    /** A problem whose slug is the reason phrase of the status, for example {@code method-not-allowed}. */
    public static Problem ofStatus(int status, @Nullable String detail, Map<String, String> headers) {
        return new Problem(status, slug(reasonPhrase(status)), detail, headers, Map.of());
    }

    /** The body: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, then the extras. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ApiPaths.PROBLEM_TYPE_PREFIX + this.slug);
        body.put("title", reasonPhrase(this.status));
        body.put("status", this.status);
        if (this.detail != null) {
            body.put("detail", this.detail);
        }
        body.put("instance", instance);
        body.putAll(this.extra);
        return body;
    }

    static String reasonPhrase(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return (known != null) ? known.getReasonPhrase() : "Error " + status;
    }

    private static String slug(String phrase) {
        return phrase.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
