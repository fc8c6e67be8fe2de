package io.clawmesh.coordinator.web;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.events.TooManySubscribersException;
import io.clawmesh.coordinator.forwarding.ForwardingFailedException;
import io.clawmesh.coordinator.forwarding.ForwardingTimeoutException;
import io.clawmesh.coordinator.keys.KeyNameConflictException;
import io.clawmesh.coordinator.keys.KeyNotFoundException;
import io.clawmesh.coordinator.registry.NodeNameConflictException;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeScopeException;
import io.clawmesh.coordinator.registry.RegistrationLimitException;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import io.clawmesh.coordinator.routing.NodeUnavailableException;
import io.clawmesh.coordinator.routing.RuleNotFoundException;
import io.clawmesh.coordinator.security.RequestBodyLimitFilter.PayloadTooLargeException;
import io.clawmesh.coordinator.tasks.IdempotencyConflictException;
import io.clawmesh.coordinator.tasks.QueueFullException;
import io.clawmesh.coordinator.tasks.TaskFinishedException;
import io.clawmesh.coordinator.tasks.TaskNotFoundException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem with a stable {@code type} and a {@code detail} that says what to fix.
 * Domain exceptions carry their own user-facing message; Spring MVC's own errors get a type from their status.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail invalidInput(InvalidInputException ex) {
        return Problems.of(ProblemType.INVALID_INPUT, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nodeNotFound(NodeNotFoundException ex) {
        return Problems.of(ProblemType.NODE_NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail ruleNotFound(RuleNotFoundException ex) {
        return Problems.of(ProblemType.RULE_NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail taskNotFound(TaskNotFoundException ex) {
        return Problems.of(ProblemType.TASK_NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail keyNotFound(KeyNotFoundException ex) {
        return Problems.of(ProblemType.KEY_NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail keyNameConflict(KeyNameConflictException ex) {
        return Problems.of(ProblemType.KEY_NAME_CONFLICT, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail taskFinished(TaskFinishedException ex) {
        return Problems.of(ProblemType.TASK_FINISHED, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail idempotencyConflict(IdempotencyConflictException ex) {
        ProblemDetail problem = Problems.of(ProblemType.IDEMPOTENCY_CONFLICT, ex.getMessage());
        problem.setProperty("task_id", ex.taskId());
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> queueFull(QueueFullException ex) {
        return ResponseEntity.status(ProblemType.QUEUE_FULL.status())
                .header(
                        HttpHeaders.RETRY_AFTER,
                        String.valueOf(Math.max(1, ex.retryAfter().toSeconds())))
                .body(Problems.of(ProblemType.QUEUE_FULL, ex.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail nameConflict(NodeNameConflictException ex) {
        return Problems.of(ProblemType.NODE_NAME_CONFLICT, ex.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> registrationLimit(RegistrationLimitException ex) {
        return ResponseEntity.status(ProblemType.TOO_MANY_REGISTRATIONS.status())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfter().toSeconds()))
                .body(Problems.of(ProblemType.TOO_MANY_REGISTRATIONS, ex.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail outOfScope(NodeScopeException ex) {
        return Problems.of(ProblemType.FORBIDDEN, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail noRoute(NoRouteAvailableException ex) {
        return Problems.of(ProblemType.NO_ROUTE, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nodeUnavailable(NodeUnavailableException ex) {
        return Problems.of(ProblemType.NODE_UNAVAILABLE, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail forwardingFailed(ForwardingFailedException ex) {
        ProblemDetail problem = Problems.of(ProblemType.FORWARDING_FAILED, ex.getMessage());
        problem.setProperty("message_id", ex.messageId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail forwardingTimeout(ForwardingTimeoutException ex) {
        ProblemDetail problem = Problems.of(ProblemType.FORWARDING_TIMEOUT, ex.getMessage());
        problem.setProperty("message_id", ex.messageId());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail tooManyStreams(TooManySubscribersException ex) {
        return Problems.of(ProblemType.TOO_MANY_STREAMS, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail databaseUnavailable(DataAccessResourceFailureException ex) {
        logger.warn("Database unavailable: " + ex.getMessage());
        return Problems.of(
                ProblemType.DATABASE_UNAVAILABLE,
                "the coordinator cannot reach its database right now; try again shortly");
    }

    /** Anything unforeseen: logged with its stack trace here, never shown to the caller. */
    @ExceptionHandler
    ProblemDetail unexpected(Exception ex) {
        logger.error("Unexpected error", ex);
        return Problems.of(ProblemType.INTERNAL_ERROR, "the coordinator failed unexpectedly; its log has the details");
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (hasCause(ex, PayloadTooLargeException.class)) {
            return ResponseEntity.status(ProblemType.PAYLOAD_TOO_LARGE.status())
                    .body(Problems.of(ProblemType.PAYLOAD_TOO_LARGE, rootMessage(ex)));
        }
        return ResponseEntity.badRequest().body(UnreadableBodies.problem(ex));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Spring reports a missing Content-Type as 'application/octet-stream'; say what was sent and what to send.
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String detail = "the request body must be JSON sent with 'Content-Type: application/json'; this request had "
                + ((sent != null) ? "'" + sent + "'" : "no Content-Type");
        return handleExceptionInternal(
                ex, Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, detail), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null
                && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            ProblemType type = ProblemType.forStatus(statusCode.value());
            problem.setType(type.uri());
            problem.setTitle(type.title());
        }
        return response;
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
