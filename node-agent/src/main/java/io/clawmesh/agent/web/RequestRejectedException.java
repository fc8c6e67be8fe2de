package io.clawmesh.agent.web;

import io.clawmesh.common.problem.ProblemType;
import java.util.Map;

/**
 * Thrown when a request does not fit the API before any endpoint logic runs: an unknown path (404), a method the path
 * does not take (405) or a body that is not JSON (415).
 */
public class RequestRejectedException extends RuntimeException {

    private final ProblemType type;

    private final Map<String, String> headers;

    public RequestRejectedException(ProblemType type, String detail, Map<String, String> headers) {
        super(detail);
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    public RequestRejectedException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    /** The problem type of the answer, and with it its status. */
    public ProblemType type() {
        return this.type;
    }

    /** Headers the answer must carry, for example {@code Allow} with a 405. */
    public Map<String, String> headers() {
        return this.headers;
    }
}
