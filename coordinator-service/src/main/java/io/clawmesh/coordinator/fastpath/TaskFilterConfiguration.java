package io.clawmesh.coordinator.fastpath;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.security.MeshSecurityProperties;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.tasks.TaskBoard;
import io.clawmesh.coordinator.tasks.TaskEventStreams;
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
 * Registers the task hot path in front of the security filter chain, unless {@code mesh.routing.fast-path.enabled} is
 * false; then every task request takes the general path (ADR 0017).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = FastPathProperties.ENABLED, matchIfMissing = true)
class TaskFilterConfiguration {

    @Bean
    FilterRegistrationBean<TaskRequestFilter> taskRequestFilter(
            TaskBoard board,
            TaskEventStreams streams,
            OperatorToken tokens,
            JsonMapper json,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
            MeshSecurityProperties security,
            ObjectProvider<MeterRegistry> registry) {
        FilterRegistrationBean<TaskRequestFilter> registration = new FilterRegistrationBean<>(new TaskRequestFilter(
                board,
                streams,
                tokens,
                json,
                exceptionResolver,
                security.maxBodySize().toBytes(),
                registry.getIfAvailable(SimpleMeterRegistry::new)));
        registration.addUrlPatterns(ApiPaths.TASKS, ApiPaths.TASKS + "/*");
        // First, as the routing fast path: the requests it takes have a Content-Length within the limit (or no body)
        // and are timed by the filter itself; the others go on to the observation and the body-size limit.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
