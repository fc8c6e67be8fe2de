package io.clawmesh.coordinator.events;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code eventFanOut} (the bean name less its suffix) in {@code /actuator/health} and the readiness group: a replica on PostgreSQL is ready only once
 * it listens for the other replicas' events, so a load balancer sends it no event-stream client that would miss them.
 */
@Component
class EventFanOutHealthIndicator implements HealthIndicator {

    private final EventFanOut fanOut;

    EventFanOutHealthIndicator(EventFanOut fanOut) {
        this.fanOut = fanOut;
    }

    @Override
    public Health health() {
        return this.fanOut.isJoined()
                ? Health.up().build()
                : Health.down()
                        .withDetail("reason", "not yet listening for the other replicas' events")
                        .build();
    }
}
