package io.clawmesh.agent.inbound;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the message dispatcher to the runtime, the capacity gate and the runtime timeout. */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    @Bean
    MessageDispatcher messageDispatcher(
            AgentRuntime runtime, CapacityGate gate, Clock clock, AgentProperties properties) {
        return new MessageDispatcher(runtime, gate, clock, properties.gatewayTimeout());
    }
}
