package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.web.JsonBodyReader;
import io.clawmesh.agent.web.Problem;
import io.clawmesh.agent.web.RequestRejectedException;
import io.clawmesh.agent.web.RequestTooLargeException;
import io.clawmesh.agent.web.UnreadableBodies;
import io.clawmesh.agent.web.UnreadableBodyException;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.problem.ProblemType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of a request into an RFC 9457 {@link Problem} with a stable type and a detail that says what to
 * fix. Failures nobody expected become a 500 that is logged and reveals nothing.
 */
public final class ApiProblems {

    private static final Logger logger = LoggerFactory.getLogger(ApiProblems.class);

    private ApiProblems() {}

    /** The answer to {@code ex}. */
    public static Problem from(Throwable ex) {
        return switch (ex) {
            case InvalidInputException invalid -> new Problem(ProblemType.INVALID_INPUT, invalid.getMessage());
            case UnreadableBodyException unreadable -> UnreadableBodies.problem(unreadable);
            case MissingCredentialException missing ->
                new Problem(
                        ProblemType.MISSING_CREDENTIAL,
                        missing.getMessage(),
                        Map.of("WWW-Authenticate", "Bearer realm=\"claw-mesh-agent\""),
                        Map.of());
            case InvalidCredentialException invalid ->
                new Problem(ProblemType.INVALID_CREDENTIAL, invalid.getMessage());
            case NotRegisteredException notRegistered ->
                new Problem(
                        ProblemType.NOT_REGISTERED, notRegistered.getMessage(), Map.of("Retry-After", "5"), Map.of());
            case NodeAtCapacityException full ->
                new Problem(ProblemType.NODE_AT_CAPACITY, full.getMessage(), Map.of("Retry-After", "1"), Map.of());
            case RuntimeUnavailableException down ->
                new Problem(ProblemType.RUNTIME_UNAVAILABLE, down.getMessage(), Map.of("Retry-After", "5"), Map.of());
            case TaskNotFoundException unknown -> new Problem(ProblemType.TASK_NOT_FOUND, unknown.getMessage());
            case TaskFinishedException finished -> new Problem(ProblemType.TASK_FINISHED, finished.getMessage());
            case MessageTooLargeException tooLarge -> new Problem(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            case RequestTooLargeException tooLarge ->
                new Problem(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "The request body is larger than " + JsonBodyReader.MAX_BODY_BYTES
                                + " bytes (1 MiB); send a shorter message");
            case RuntimeFailureException failure -> runtimeFailure(failure);
            case RequestRejectedException rejected ->
                new Problem(rejected.type(), rejected.getMessage(), rejected.headers(), Map.of());
            default -> {
                logger.error("Unexpected failure while answering a request", ex);
                yield new Problem(ProblemType.INTERNAL_ERROR, "The agent failed unexpectedly; see its log");
            }
        };
    }

    private static Problem runtimeFailure(RuntimeFailureException ex) {
        if (ex instanceof RunAbortedException) {
            // a cancel, a timeout or the client leaving stopped the run: logged where it was asked for, not a fault
            logger.info("Answering 502 for a stopped run: {}", ex.getMessage());
        } else {
            logger.warn("Answering 502: {}", ex.getMessage());
        }
        return new Problem(
                ProblemType.RUNTIME_FAILURE,
                ex.getMessage() + ". Check that the " + ex.runtime()
                        + " runtime on this node is running and reachable.",
                Map.of(),
                Map.of("runtime", ex.runtime()));
    }
}
