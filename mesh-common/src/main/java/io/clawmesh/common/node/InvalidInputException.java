package io.clawmesh.common.node;

/**
 * Thrown when a name, tag, endpoint, rule or other piece of input breaks the contract. The message tells the user
 * what to fix and is safe to show.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
