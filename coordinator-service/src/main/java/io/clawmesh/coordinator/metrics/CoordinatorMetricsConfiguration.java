package io.clawmesh.coordinator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Common tags of every coordinator meter: {@code application} ({@code spring.application.name}) and {@code instance}
 * ({@code mesh.metrics.instance}, else the {@code HOSTNAME} variable, which is the pod name in Kubernetes and the
 * container id in Docker, else the host name), so replicas scraped into one Prometheus stay apart.
 */
@Configuration(proxyBeanMethods = false)
public class CoordinatorMetricsConfiguration {

    @Bean
    MeterRegistryCustomizer<MeterRegistry> meshCommonTags(Environment environment) {
        String application = environment.getProperty("spring.application.name", "claw-mesh-coordinator");
        String instance = environment.getProperty("mesh.metrics.instance", instance(environment));
        return (registry) -> registry.config().commonTags("application", application, "instance", instance);
    }

    private static String instance(Environment environment) {
        String hostName = environment.getProperty("HOSTNAME");
        if (hostName != null && !hostName.isBlank()) {
            return hostName;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return "coordinator";
        }
    }
}
