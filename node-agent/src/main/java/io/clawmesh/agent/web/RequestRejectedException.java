package io.clawmesh.agent.web;

import java.util.Map;

/**
 * Thrown when a request does not fit the API before any endpoint logic runs: an unknown path (404), a method the path
 * does not take (405) or a body that is not JSON (415). The problem type follows from the status.
 */
public class RequestRejectedException extends RuntimeException {

    private final int status;

    private final Map<String, String> headers;

    public RequestRejectedException(int status, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public RequestRejectedException(int status, String detail) {
        this(status, detail, Map.of());
    }

    public int status() {
        return this.status;
    }

    /** Headers the answer must carry, for example {@code Allow} with a 405. */
    public Map<String, String> headers() {
        return this.headers;
    }
}
