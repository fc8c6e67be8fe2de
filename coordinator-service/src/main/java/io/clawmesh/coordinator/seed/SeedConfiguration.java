package io.clawmesh.coordinator.seed;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires seed sync's file reader and what of the config it may share. */
@Configuration(proxyBeanMethods = false)
public class SeedConfiguration {

    @Bean
    SeedFiles seedFiles(SeedProperties properties, SeedSharingProperties sharing) {
        return new SeedFiles(properties, new SharedConfigFilter(sharing));
    }
}
