package io.clawmesh.agent.web;

import java.io.IOException;

/**
 * Thrown while reading a request body that is larger than the agent accepts. An {@link IOException}, because it
 * surfaces from the body stream; {@link ApiExceptionHandler} finds it in the cause chain and answers 413.
 */
public class RequestTooLargeException extends IOException {

    public RequestTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
    }
}
