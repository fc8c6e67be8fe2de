package io.clawmesh.coordinator.seed;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires seed sync's file reader. */
@Configuration(proxyBeanMethods = false)
public class SeedConfiguration {

    @Bean
    SeedFiles seedFiles(SeedProperties properties) {
        return new SeedFiles(properties);
    }
}
