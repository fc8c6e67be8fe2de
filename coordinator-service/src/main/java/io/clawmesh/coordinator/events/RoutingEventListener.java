package io.clawmesh.coordinator.events;

/**
 * A listener of the routing hot path's events, which {@link RoutingEventPublisher} calls directly instead of through
 * the application context's multicaster (one or two events per routed message). Called on the routing thread: it must
 * be quick and must not throw, as every {@link MeshEvent} listener.
 */
public interface RoutingEventListener {

    /** A message was answered, or failed for good. */
    default void onMessageHandled(MessageHandled event) {}

    /** One attempt to hand a message to one node ended. */
    default void onForwardAttempted(ForwardAttempted event) {}
}
