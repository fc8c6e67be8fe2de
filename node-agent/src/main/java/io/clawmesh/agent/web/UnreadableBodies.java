package io.clawmesh.agent.web;

import io.clawmesh.common.problem.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Says why a JSON body could not be read: malformed, an unknown field, or a field of the wrong type, by name. */
public final class UnreadableBodies {

    private UnreadableBodies() {}

    /** The problem that names what is wrong with the body. */
    public static Problem problem(UnreadableBodyException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String known = (unknown.getKnownPropertyIds() != null)
                    ? unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    : "";
            return new Problem(
                    ProblemType.UNKNOWN_FIELD,
                    "Unknown field '" + unknown.getPropertyName() + "'"
                            + (known.isEmpty() ? "" : "; accepted fields: " + known));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            return new Problem(ProblemType.INVALID_FIELD_TYPE, wrongType(mismatch));
        }
        if (cause instanceof StreamReadException malformed) {
            String where = (malformed.getLocation() != null)
                    ? " at line " + malformed.getLocation().getLineNr() + ", column "
                            + malformed.getLocation().getColumnNr()
                    : "";
            return new Problem(
                    ProblemType.MALFORMED_JSON,
                    "The request body is not valid JSON" + where + ": " + firstLine(malformed.getOriginalMessage()));
        }
        return new Problem(
                ProblemType.UNREADABLE_BODY,
                "The request body is missing or unreadable; send a JSON object such as "
                        + "{\"id\":\"msg-1\",\"content\":\"hello\"}");
    }

    private static String wrongType(MismatchedInputException ex) {
        String field = path(ex.getPath());
        if (field.isEmpty()) {
            return "The request body must be a JSON object such as {\"id\":\"msg-1\",\"content\":\"hello\"}";
        }
        return "Field '" + field + "' has the wrong type or format: expected " + expected(ex.getTargetType());
    }

    private static String expected(@Nullable Class<?> target) {
        if (target == null) {
            return "another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == Instant.class) {
            return "an ISO-8601 timestamp such as 2026-11-23T23:00:00Z";
        }
        if (Number.class.isAssignableFrom(target) || target == int.class || target == long.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        return "a " + target.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String path(List<JacksonException.Reference> path) {
        return path.stream()
                .map((reference) -> (reference.getPropertyName() != null)
                        ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unexpected input";
        }
        int newline = message.indexOf('\n');
        return (newline < 0) ? message : message.substring(0, newline);
    }
}
