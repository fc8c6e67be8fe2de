package io.clawmesh.coordinator.events;

/** The event stream ended from the coordinator's side. */
public class SubscriptionClosedException extends RuntimeException {

    public SubscriptionClosedException(String message) {
        super(message, null, false, false);
    }
}
