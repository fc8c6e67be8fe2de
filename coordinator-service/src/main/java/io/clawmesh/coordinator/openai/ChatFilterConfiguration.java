package io.clawmesh.coordinator.openai;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.fastpath.FastPathProperties;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.security.ProblemWriter;
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
 * Registers the front door's fast path ({@link ChatCompletionFilter}) right in front of the security filter chain,
 * unless {@code mesh.routing.fast-path.enabled} is false, the switch of the routing fast path too; then every
 * completion takes the general path (ADR 0015).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = FastPathProperties.ENABLED, matchIfMissing = true)
class ChatFilterConfiguration {

    @Bean
    FilterRegistrationBean<ChatCompletionFilter> chatCompletionFilter(
            ChatCompleter completer,
            OperatorToken tokens,
            ClientKeys clientKeys,
            ProblemWriter problems,
            JsonMapper json,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
            ObjectProvider<SecurityFilterProperties> securityFilter) {
        FilterRegistrationBean<ChatCompletionFilter> registration = new FilterRegistrationBean<>(
                new ChatCompletionFilter(completer, tokens, clientKeys, problems, json, exceptionResolver));
        registration.addUrlPatterns(ApiPaths.CHAT_COMPLETIONS);
        // After the body-size limit, the client-key scope and the HTTP server observation, right before Spring
        // Security.
        int securityOrder =
                securityFilter.getIfAvailable(SecurityFilterProperties::new).getOrder();
        registration.setOrder(securityOrder - 1);
        return registration;
    }
}
