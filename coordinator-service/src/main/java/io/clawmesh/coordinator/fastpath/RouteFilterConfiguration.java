package io.clawmesh.coordinator.fastpath;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.security.OperatorToken;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
            ObjectProvider<SecurityFilterProperties> securityFilter) {
        FilterRegistrationBean<RouteRequestFilter> registration =
                new FilterRegistrationBean<>(new RouteRequestFilter(forwarder, tokens, json, exceptionResolver));
        registration.addUrlPatterns(ApiPaths.ROUTE, ApiPaths.ROUTE + "/*");
        // After the body-size limit and the HTTP server observation, right before Spring Security wherever it is.
        int securityOrder =
                securityFilter.getIfAvailable(SecurityFilterProperties::new).getOrder();
        registration.setOrder(securityOrder - 1);
        return registration;
    }
}
