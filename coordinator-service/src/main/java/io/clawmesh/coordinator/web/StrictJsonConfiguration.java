package io.clawmesh.coordinator.web;

import io.clawmesh.common.json.StrictJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the application's one {@code JsonMapper} strict about scalar types ({@link StrictJson}). Spring MVC's JSON
 * converter and the routing hot path both read with that mapper, so both refuse {@code {"content":42}} alike.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictScalars() {
        return StrictJson::configure;
    }
}
