package io.clawmesh.agent.web;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request body cannot be turned into the expected JSON object: empty, {@code null}, malformed, with an
 * unknown field or a field of the wrong type. The Jackson exception, when there is one, is the cause; {@link
 * ApiProblems} reads it to name the field.
 */
public class UnreadableBodyException extends RuntimeException {

    public UnreadableBodyException(@Nullable Throwable cause) {
        super("request body not readable", cause);
    }
}
