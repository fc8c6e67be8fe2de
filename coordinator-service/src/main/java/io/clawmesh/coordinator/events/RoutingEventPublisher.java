package io.clawmesh.coordinator.events;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Fallback;
import org.springframework.stereotype.Component;

/**
 * The message forwarder's publisher: {@link ForwardAttempted} and {@link MessageHandled} go straight to the
 * {@link RoutingEventListener} beans (the routing meters, the event stream), every other event through the application
 * context as usual. Spring's multicaster wraps each event in a {@code PayloadApplicationEvent}, resolves its generic
 * type, looks its listeners up and calls each reflectively: a few microseconds per event, twice per routed message
 * (issue 19). Listeners of these two events must therefore implement {@link RoutingEventListener}; an
 * {@code @EventListener} for them only sees what is published through the context. Injected by reference
 * ({@code @Value(RoutingEventPublisher.REFERENCE)}): a {@code @Qualifier} does not do, since Spring offers the context
 * itself to every {@link ApplicationEventPublisher} injection point whatever its qualifier, and prefers it.
 * {@link Fallback}, so that every other injection point keeps getting the context.
 */
@Component(RoutingEventPublisher.NAME)
@Fallback
public class RoutingEventPublisher implements ApplicationEventPublisher {

    /** The bean name. */
    public static final String NAME = "routingEventPublisher";

    /** An expression for {@code @Value} that injects this bean. */
    public static final String REFERENCE = "#{@" + NAME + "}";

    private final ApplicationEventPublisher context;

    private final ObjectProvider<RoutingEventListener> listenerProvider;

    private volatile @Nullable List<RoutingEventListener> listeners;

    public RoutingEventPublisher(
            ApplicationEventPublisher context, ObjectProvider<RoutingEventListener> listenerProvider) {
        this.context = context;
        this.listenerProvider = listenerProvider;
    }

    @Override
    public void publishEvent(Object event) {
        if (event instanceof ForwardAttempted attempted) {
            for (RoutingEventListener listener : listeners()) {
                listener.onForwardAttempted(attempted);
            }
        } else if (event instanceof MessageHandled handled) {
            for (RoutingEventListener listener : listeners()) {
                listener.onMessageHandled(handled);
            }
        } else {
            this.context.publishEvent(event);
        }
    }

    /** Looked up on first use, when every listener bean exists (the publisher is made before some of them). */
    private List<RoutingEventListener> listeners() {
        List<RoutingEventListener> listeners = this.listeners;
        if (listeners == null) {
            listeners = this.listenerProvider.orderedStream().toList();
            this.listeners = listeners;
        }
        return listeners;
    }
}
