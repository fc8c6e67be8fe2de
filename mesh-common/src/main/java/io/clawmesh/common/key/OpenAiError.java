package io.clawmesh.common.key;

import org.jspecify.annotations.Nullable;

/**
 * OpenAI's error body, {@code {"error": {"message", "type", "param", "code"}}}: every error of the OpenAI-compatible
 * API ({@code /v1/**}) has this shape, so OpenAI's client libraries show the message.
 *
 * @param error what went wrong
 */
public record OpenAiError(Detail error) {

    /**
     * The error itself.
     *
     * @param type OpenAI's error class for the status ({@code invalid_request_error}, {@code authentication_error}, …)
     * @param code the claw-mesh problem slug with underscores ({@code model_not_found}, {@code rate_limited})
     */
    public record Detail(
            String message, String type, @Nullable String param, String code) {}

    /** The error for an HTTP status, a problem slug and a message. */
    public static OpenAiError of(int status, String slug, String message) {
        return new OpenAiError(new Detail(message, typeFor(status), null, slug.replace('-', '_')));
    }

    /** OpenAI's error type for an HTTP status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            default -> (status >= 400 && status < 500) ? "invalid_request_error" : "server_error";
        };
    }
}
