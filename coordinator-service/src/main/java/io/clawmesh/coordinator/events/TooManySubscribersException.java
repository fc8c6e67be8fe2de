package io.clawmesh.coordinator.events;

/** No further event stream can be opened right now. */
public class TooManySubscribersException extends RuntimeException {

    public TooManySubscribersException(String message) {
        super(message);
    }
}
