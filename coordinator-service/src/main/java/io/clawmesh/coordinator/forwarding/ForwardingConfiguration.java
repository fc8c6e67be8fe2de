package io.clawmesh.coordinator.forwarding;

import io.clawmesh.coordinator.routing.FailoverCooldowns;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Forwarding's beans that take their settings from {@link ForwardingProperties}. */
@Configuration(proxyBeanMethods = false)
class ForwardingConfiguration {

    @Bean
    FailoverCooldowns failoverCooldowns(ForwardingProperties properties, Clock clock, JdbcClient jdbc) {
        // shared with the other replicas on the database (ADR 0013)
        return new FailoverCooldowns(properties.cooldown(), clock, jdbc);
    }
}
