package io.clawmesh.coordinator.web;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says why a JSON body could not be read, with the same problem types as the agent: {@code malformed-json},
 * {@code unknown-field}, {@code invalid-field-type}, {@code unreadable-body}, and {@code invalid-input} when a
 * value's own check refused it while it was read; the detail names the field.
 */
final class UnreadableBodies {

    private UnreadableBodies() {}

    static ProblemDetail problem(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return Problems.of(
                    ProblemType.UNKNOWN_FIELD,
                    "unknown field '" + path(unknown) + "'; the accepted fields are "
                            + unknown.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", ")));
        }
        InvalidInputException invalid = findCause(ex, InvalidInputException.class);
        if (invalid != null) {
            return Problems.of(
                    ProblemType.INVALID_INPUT,
                    "field '" + ((cause instanceof JacksonException jackson) ? path(jackson) : "?") + "': "
                            + invalid.getMessage());
        }
        IllegalArgumentException illegal = findCause(ex, IllegalArgumentException.class);
        if (illegal != null
                && cause instanceof JacksonException jackson
                && !path(jackson).isEmpty()) {
            return Problems.of(
                    ProblemType.INVALID_FIELD_TYPE, "field '" + path(jackson) + "': " + illegal.getMessage());
        }
        if (cause instanceof InvalidFormatException format) {
            return Problems.of(
                    ProblemType.INVALID_FIELD_TYPE,
                    "field '" + path(format) + "' has the wrong type or format (got "
                            + PrintableText.escape(String.valueOf(format.getValue())) + ")");
        }
        if (cause instanceof MismatchedInputException mismatched) {
            return Problems.of(
                    ProblemType.INVALID_FIELD_TYPE,
                    path(mismatched).isEmpty()
                            ? "the request body must be a JSON object: " + firstLine(mismatched.getOriginalMessage())
                            : "field '" + path(mismatched) + "' has the wrong type");
        }
        if (cause instanceof JacksonException) {
            return Problems.of(
                    ProblemType.MALFORMED_JSON, "the body is not valid JSON: " + firstLine(cause.getMessage()));
        }
        return Problems.of(
                ProblemType.UNREADABLE_BODY, "the request needs a JSON body (Content-Type: application/json)");
    }

    private static String path(JacksonException ex) {
        return ex.getPath().stream()
                .map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0) ? message : message.substring(0, newline);
    }

    private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
        for (Throwable current = ex; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
