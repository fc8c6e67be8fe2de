package io.clawmesh.coordinator.routing;

/** No available node can take the message; the message says why (no nodes, all offline, all degraded...). */
public class NoRouteAvailableException extends RuntimeException {

    public NoRouteAvailableException(String message) {
        super(message);
    }
}
