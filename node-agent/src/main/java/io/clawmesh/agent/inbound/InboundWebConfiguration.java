package io.clawmesh.agent.inbound;

import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.api.ApiPaths;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the delivery credential check in front of the message endpoint; {@code /healthz} stays open. */
@Configuration(proxyBeanMethods = false)
public class InboundWebConfiguration implements WebMvcConfigurer {

    private final RegistrationState state;

    public InboundWebConfiguration(RegistrationState state) {
        this.state = state;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new DeliveryAuthInterceptor(this.state)).addPathPatterns(ApiPaths.AGENT_MESSAGES);
    }
}
