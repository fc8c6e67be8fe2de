package io.clawmesh.agent.web;

import io.clawmesh.agent.inbound.InvalidCredentialException;
import io.clawmesh.agent.inbound.MessageTooLargeException;
import io.clawmesh.agent.inbound.MissingCredentialException;
import io.clawmesh.agent.inbound.NodeAtCapacityException;
import io.clawmesh.agent.inbound.NotRegisteredException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.InvalidInputException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem with a stable {@code type} ({@code urn:clawmesh:problem:<slug>}) and a
 * {@code detail} that says what to fix.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException ex) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", ex.getMessage());
    }

    @ExceptionHandler(MissingCredentialException.class)
    ResponseEntity<ProblemDetail> missingCredential(MissingCredentialException ex) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"claw-mesh-agent\"")
                .body(body(HttpStatus.UNAUTHORIZED, "missing-credential", ex.getMessage()));
    }

    @ExceptionHandler(InvalidCredentialException.class)
    ResponseEntity<ProblemDetail> invalidCredential(InvalidCredentialException ex) {
        return problem(HttpStatus.FORBIDDEN, "invalid-credential", ex.getMessage());
    }

    @ExceptionHandler(NotRegisteredException.class)
    ResponseEntity<ProblemDetail> notRegistered(NotRegisteredException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(body(HttpStatus.SERVICE_UNAVAILABLE, "not-registered", ex.getMessage()));
    }

    @ExceptionHandler(NodeAtCapacityException.class)
    ResponseEntity<ProblemDetail> atCapacity(NodeAtCapacityException ex) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(body(HttpStatus.TOO_MANY_REQUESTS, "node-at-capacity", ex.getMessage()));
    }

    @ExceptionHandler(MessageTooLargeException.class)
    ResponseEntity<ProblemDetail> messageTooLarge(MessageTooLargeException ex) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", ex.getMessage());
    }

    @ExceptionHandler(RuntimeFailureException.class)
    ResponseEntity<ProblemDetail> runtimeFailure(RuntimeFailureException ex) {
        log.warn("Answering 502: {}", ex.getMessage());
        ProblemDetail body = body(
                HttpStatus.BAD_GATEWAY,
                "runtime-failure",
                ex.getMessage() + ". Check that the " + ex.runtime()
                        + " runtime on this node is running and reachable.");
        body.setProperty("runtime", ex.runtime());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(body);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(ex, RequestTooLargeException.class) != null) {
            return asObject(problem(
                    HttpStatus.CONTENT_TOO_LARGE,
                    "payload-too-large",
                    "The request body is larger than " + RequestSizeLimitFilter.MAX_BODY_BYTES
                            + " bytes (1 MiB); send a shorter message"));
        }
        UnrecognizedPropertyException unknown = causedBy(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String known = (unknown.getKnownPropertyIds() != null)
                    ? unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    : "";
            return asObject(problem(
                    HttpStatus.BAD_REQUEST,
                    "unknown-field",
                    "Unknown field '" + unknown.getPropertyName() + "'"
                            + (known.isEmpty() ? "" : "; accepted fields: " + known)));
        }
        MismatchedInputException mismatch = causedBy(ex, MismatchedInputException.class);
        if (mismatch != null) {
            return asObject(problem(HttpStatus.BAD_REQUEST, "invalid-field-type", wrongType(mismatch)));
        }
        StreamReadException malformed = causedBy(ex, StreamReadException.class);
        if (malformed != null) {
            String where = (malformed.getLocation() != null)
                    ? " at line " + malformed.getLocation().getLineNr() + ", column "
                            + malformed.getLocation().getColumnNr()
                    : "";
            return asObject(problem(
                    HttpStatus.BAD_REQUEST,
                    "malformed-json",
                    "The request body is not valid JSON" + where + ": " + firstLine(malformed.getOriginalMessage())));
        }
        return asObject(problem(
                HttpStatus.BAD_REQUEST,
                "unreadable-body",
                "The request body is missing or unreadable; send a JSON object such as "
                        + "{\"id\":\"msg-1\",\"content\":\"hello\"}"));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && isBlank(problem.getType())) {
            problem.setType(type(slug(statusCode)));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String wrongType(MismatchedInputException ex) {
        String field = path(ex.getPath());
        Class<?> target = ex.getTargetType();
        if (field.isEmpty()) {
            return "The request body must be a JSON object such as {\"id\":\"msg-1\",\"content\":\"hello\"}";
        }
        return "Field '" + field + "' has the wrong type or format: expected " + expected(target);
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

    private static @Nullable <T extends Throwable> T causedBy(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unexpected input";
        }
        int newline = message.indexOf('\n');
        return (newline < 0) ? message : message.substring(0, newline);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String slug, @Nullable String detail) {
        return ResponseEntity.status(status).body(body(status, slug, detail));
    }

    private static ProblemDetail body(HttpStatus status, String slug, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }

    private static URI type(String slug) {
        return URI.create(ApiPaths.PROBLEM_TYPE_PREFIX + slug);
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        String phrase = (known != null) ? known.getReasonPhrase() : "error-" + status.value();
        return phrase.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static boolean isBlank(@Nullable URI type) {
        return type == null || "about:blank".equals(type.toString());
    }
}
