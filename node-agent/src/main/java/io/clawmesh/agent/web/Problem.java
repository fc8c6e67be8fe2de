package io.clawmesh.agent.web;

import io.clawmesh.common.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem answer: its {@link ProblemType} (status, type URI, title), a detail that says what to fix,
 * headers such as {@code Retry-After}, and extra members such as the failed runtime.
 */
public record Problem(
        ProblemType type, @Nullable String detail, Map<String, String> headers, Map<String, Object> extra) {

    public Problem(ProblemType type, @Nullable String detail) {
        this(type, detail, Map.of(), Map.of());
    }

    /** The HTTP status of the answer, that of its type. */
    public int status() {
        return this.type.status().value();
    }

    /** The body: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, then the extras. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", this.type.uri().toString());
        body.put("title", this.type.title());
        body.put("status", status());
        if (this.detail != null) {
            body.put("detail", this.detail);
        }
        body.put("instance", instance);
        body.putAll(this.extra);
        return body;
    }
}
