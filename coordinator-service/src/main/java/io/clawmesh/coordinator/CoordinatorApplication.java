package io.clawmesh.coordinator;

import io.clawmesh.coordinator.aot.AotTraining;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The claw-mesh coordinator: node registry, routing, forwarding and health of the mesh. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CoordinatorApplication {

    public static void main(String[] args) {
        if (AotTraining.requested()) {
            // the launcher's training of the JDK AOT cache: a start, the first requests, and a clean exit
            System.exit(AotTraining.run(CoordinatorApplication.class, args));
        }
        SpringApplication.run(CoordinatorApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
