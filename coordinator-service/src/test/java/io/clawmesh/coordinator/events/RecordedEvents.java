package io.clawmesh.coordinator.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationEventPublisher;

/** An event publisher for tests that keeps what was published. */
public final class RecordedEvents implements ApplicationEventPublisher {

    private final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void publishEvent(Object event) {
        this.events.add(event);
    }

    /** The published events of one type, in order. */
    public <T> List<T> of(Class<T> type) {
        return this.events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public void clear() {
        this.events.clear();
    }
}
