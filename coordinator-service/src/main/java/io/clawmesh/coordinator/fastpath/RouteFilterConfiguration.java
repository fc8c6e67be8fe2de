package io.clawmesh.coordinator.fastpath;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.security.MeshSecurityProperties;
import io.clawmesh.coordinator.security.OperatorToken;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the routing hot path right in front of the security filter chain, unless
 * {@code mesh.routing.fast-path.enabled} is false; then every route request takes the general path (ADR 0006).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = FastPathProperties.ENABLED, matchIfMissing = true)
class RouteFilterConfiguration {

    @Bean
    FilterRegistrationBean<RouteRequestFilter> routeRequestFilter(
            MessageForwarder forwarder,
            OperatorToken tokens,
            JsonMapper json,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
            MeshSecurityProperties security,
            ObjectProvider<MeterRegistry> registry) {
        FilterRegistrationBean<RouteRequestFilter> registration = new FilterRegistrationBean<>(new RouteRequestFilter(
                forwarder,
                tokens,
                json,
                exceptionResolver,
                security.maxBodySize().toBytes(),
                registry.getIfAvailable(SimpleMeterRegistry::new)));
        registration.addUrlPatterns(ApiPaths.ROUTE, ApiPaths.ROUTE + "/*");
        // First, ahead of the HTTP server observation (HIGHEST_PRECEDENCE + 1) and the body-size limit: the requests it
        // takes have a Content-Length within the limit and are timed by the filter itself; the others go on to both.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
