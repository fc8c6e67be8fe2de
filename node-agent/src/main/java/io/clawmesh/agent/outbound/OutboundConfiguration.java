package io.clawmesh.agent.outbound;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.Backoff;
import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.agent.registration.CoordinatorTrust;
import io.clawmesh.agent.registration.RegistrationConfiguration;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.json.LeanJsonModule;
import io.clawmesh.common.json.StrictJson;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Wires the outbound connection: started only when {@code mesh.agent.connect} is {@code outbound} or {@code auto}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LinkProperties.class)
public class OutboundConfiguration {

    @Bean
    LinkSupervisor linkSupervisor(
            RegistrationState state,
            AgentProperties agent,
            AgentHttpServer server,
            LinkProperties properties,
            Clock clock,
            Environment environment,
            CoordinatorTrust trust) {
        // a newer coordinator may send fields this agent does not know yet
        JsonMapper json = StrictJson.configure(JsonMapper.builder())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new LeanJsonModule())
                .build();
        return new LinkSupervisor(
                state,
                RegistrationConfiguration.connectPreference(environment),
                RegistrationConfiguration.coordinatorUrls(agent),
                server,
                properties,
                new Backoff(properties.backoffInitial(), properties.backoffMax(), RandomGenerator.getDefault()),
                json,
                clock,
                agent.shutdownGrace(),
                trust.context());
    }
}
