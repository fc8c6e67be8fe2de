package io.clawmesh.coordinator.web;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.events.TooManySubscribersException;
import io.clawmesh.coordinator.forwarding.ForwardingFailedException;
import io.clawmesh.coordinator.forwarding.ForwardingTimeoutException;
import io.clawmesh.coordinator.registry.NodeNameConflictException;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeScopeException;
import io.clawmesh.coordinator.registry.RegistrationLimitException;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import io.clawmesh.coordinator.routing.NodeUnavailableException;
import io.clawmesh.coordinator.routing.RuleNotFoundException;
import io.clawmesh.coordinator.security.RequestBodyLimitFilter.PayloadTooLargeException;
import java.net.URI;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into an RFC 9457 problem with a stable {@code type} and a {@code detail} that says what to fix.
 * Domain exceptions carry their own user-facing message; Spring MVC's own errors get a type from their status.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail invalidInput(InvalidInputException ex) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nodeNotFound(NodeNotFoundException ex) {
        return Problems.of(HttpStatus.NOT_FOUND, "node-not-found", "Node not found", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail ruleNotFound(RuleNotFoundException ex) {
        return Problems.of(HttpStatus.NOT_FOUND, "rule-not-found", "Rule not found", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nameConflict(NodeNameConflictException ex) {
        return Problems.of(HttpStatus.CONFLICT, "node-name-conflict", "Node name taken", ex.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> registrationLimit(RegistrationLimitException ex) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfter().toSeconds()))
                .body(Problems.of(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "too-many-registrations",
                        "Too many registrations",
                        ex.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail outOfScope(NodeScopeException ex) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail noRoute(NoRouteAvailableException ex) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "no-route", "No node available", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nodeUnavailable(NodeUnavailableException ex) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "node-unavailable", "Node unavailable", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail forwardingFailed(ForwardingFailedException ex) {
        ProblemDetail problem =
                Problems.of(HttpStatus.BAD_GATEWAY, "forwarding-failed", "Forwarding failed", ex.getMessage());
        problem.setProperty("message_id", ex.messageId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail forwardingTimeout(ForwardingTimeoutException ex) {
        ProblemDetail problem = Problems.of(
                HttpStatus.GATEWAY_TIMEOUT, "forwarding-timeout", "Node did not answer in time", ex.getMessage());
        problem.setProperty("message_id", ex.messageId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail tooManyStreams(TooManySubscribersException ex) {
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many event streams", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail databaseUnavailable(DataAccessResourceFailureException ex) {
        logger.warn("Database unavailable: " + ex.getMessage());
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "database-unavailable",
                "Database unavailable",
                "the coordinator cannot reach its database right now; try again shortly");
    }

    /** Anything unforeseen: logged with its stack trace here, never shown to the caller. */
    @ExceptionHandler
    ProblemDetail unexpected(Exception ex) {
        logger.error("Unexpected error", ex);
        return Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal error",
                "the coordinator failed unexpectedly; its log has the details");
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (hasCause(ex, PayloadTooLargeException.class)) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(Problems.of(
                            HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large", rootMessage(ex)));
        }
        return ResponseEntity.badRequest()
                .body(Problems.of(
                        HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", unreadableDetail(ex)));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Spring reports a missing Content-Type as 'application/octet-stream'; say what was sent and what to send.
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String detail = "the request body must be JSON sent with 'Content-Type: application/json'; this request had "
                + ((sent != null) ? "'" + sent + "'" : "no Content-Type");
        return handleExceptionInternal(
                ex,
                Problems.of(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type", detail),
                headers,
                status,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null
                && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            HttpStatus status = HttpStatus.resolve(statusCode.value());
            problem.setType(Problems.type(
                    (status != null)
                            ? status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                            : "error"));
        }
        return response;
    }

    private static String unreadableDetail(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + path(unknown) + "'; the accepted fields are "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        InvalidInputException invalid = findCause(ex, InvalidInputException.class);
        if (invalid != null) {
            return "field '" + ((cause instanceof JacksonException jackson) ? path(jackson) : "?") + "': "
                    + invalid.getMessage();
        }
        IllegalArgumentException illegal = findCause(ex, IllegalArgumentException.class);
        if (illegal != null
                && cause instanceof JacksonException jackson
                && !path(jackson).isEmpty()) {
            return "field '" + path(jackson) + "': " + illegal.getMessage();
        }
        if (cause instanceof InvalidFormatException format) {
            return "field '" + path(format) + "' has the wrong type or format (got "
                    + PrintableText.escape(String.valueOf(format.getValue())) + ")";
        }
        if (cause instanceof MismatchedInputException mismatched
                && !path(mismatched).isEmpty()) {
            return "field '" + path(mismatched) + "' has the wrong type";
        }
        if (cause instanceof JacksonException) {
            return "the body is not valid JSON: " + firstLine(cause.getMessage());
        }
        return "the request needs a JSON body (Content-Type: application/json)";
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

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return findCause(ex, type) != null;
    }

    private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
        for (Throwable current = ex; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable ex) {
        PayloadTooLargeException tooLarge = findCause(ex, PayloadTooLargeException.class);
        return (tooLarge != null) ? tooLarge.getMessage() : firstLine(ex.getMessage());
    }
}
