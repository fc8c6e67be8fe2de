package io.clawmesh.agent.runtime;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.openclaw.OpenClawDiscovery;
import io.clawmesh.agent.runtime.openclaw.OpenClawRuntime;
import io.clawmesh.agent.runtime.openclaw.OpenClawSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the runtime the agent talks to and sets up the capacity gate in front of it. */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(RuntimeConfiguration.class);

    @Bean
    AgentRuntime agentRuntime(AgentProperties properties) {
        if (!properties.noGateway() && "openclaw".equals(properties.runtime())) {
            return OpenClawRuntime.create(properties);
        }
        if (!properties.noGateway() && properties.runtime() == null && properties.gatewayEndpoint() == null) {
            Optional<OpenClawSettings> openClaw = OpenClawDiscovery.discover(properties);
            if (openClaw.isPresent()) {
                return OpenClawRuntime.create(openClaw.get());
            }
        }
        // Echo is the only runtime of this version. The OpenClaw, ZeroClaw and OpenAI adapters of the next version are
        // one AgentRuntime class each, chosen here from --runtime / --gateway-endpoint or local discovery, with echo
        // kept as the fallback when nothing is configured or found.
        if (properties.noGateway()) {
            logger.info(
                    "Echo mode requested (mesh.agent.no-gateway=true): every message is answered with "
                            + "\"{}<content>\".",
                    EchoRuntime.PREFIX);
        } else {
            logger.info("No AI runtime configured: running in echo mode. "
                    + "Use --auto-install, --runtime or --gateway-endpoint to connect one.");
        }
        return new EchoRuntime();
    }

    @Bean
    CapacityGate capacityGate(AgentProperties properties) {
        return new CapacityGate(properties.capacity());
    }
}
