package io.clawmesh.agent.web;

import java.io.IOException;

/**
 * Thrown while reading a request body that is larger than the agent accepts, whether declared in
 * {@code Content-Length} or found while streaming; {@link ApiProblems} answers it with 413.
 */
public class RequestTooLargeException extends IOException {

    public RequestTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
    }
}
