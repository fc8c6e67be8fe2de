package io.clawmesh.agent.metrics;

import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.inbound.AgentRoute;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.web.JsonResponses;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metrics and actuator endpoints of the agent without Spring Boot's actuator and web stack (which would cost the
 * agent's small footprint): one Prometheus registry with the common tags {@code application} and {@code instance}
 * (the node name), a few JVM meters, the runtime meters, and {@code /actuator/prometheus},
 * {@code /actuator/health[/liveness|/readiness]} and {@code /actuator/info} on the agent's own HTTP server.
 */
@Configuration(proxyBeanMethods = false)
public class AgentMetricsConfiguration {

    /** Prefix of the actuator endpoints, as on the coordinator. */
    public static final String ACTUATOR = "/actuator";

    private final JsonResponses responses =
            new JsonResponses(JsonMapper.builder().build());

    @Bean(destroyMethod = "close")
    PrometheusMeterRegistry prometheusMeterRegistry(Environment environment, LocalNode localNode) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config()
                .commonTags(
                        "application",
                        environment.getProperty("spring.application.name", "node-agent"),
                        "instance",
                        localNode.name());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    @Bean(destroyMethod = "close")
    JvmGcMetrics jvmGcMetrics(PrometheusMeterRegistry registry) {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    @Bean
    AgentMeters agentMeters(PrometheusMeterRegistry registry) {
        return new AgentMeters(registry);
    }

    /** Static, as every post-processor: it must exist before the beans it wraps. */
    @Bean
    static RuntimeMeteringPostProcessor runtimeMeteringPostProcessor(
            ObjectProvider<AgentMeters> meters, ObjectProvider<AgentRuntime> runtime, ObjectProvider<Clock> clock) {
        return new RuntimeMeteringPostProcessor(meters, runtime, clock);
    }

    @Bean
    Gauge runtimeConnectedGauge(PrometheusMeterRegistry registry, AgentRuntime runtime) {
        return Gauge.builder(
                        "mesh.agent.runtime.connected", runtime, (r) -> r.info().connected() ? 1 : 0)
                .description("1 when the agent is connected to its runtime, 0 when not")
                .register(registry);
    }

    @Bean
    AgentRoute prometheusRoute(PrometheusMeterRegistry registry) {
        return new AgentRoute(ACTUATOR + "/prometheus", "GET", new PrometheusScrapeHandler(registry));
    }

    @Bean
    AgentRoute healthRoute(ApplicationAvailability availability, AgentRuntime runtime) {
        return health("", AgentHealthHandler.Group.ALL, availability, runtime);
    }

    @Bean
    AgentRoute livenessRoute(ApplicationAvailability availability, AgentRuntime runtime) {
        return health("/liveness", AgentHealthHandler.Group.LIVENESS, availability, runtime);
    }

    @Bean
    AgentRoute readinessRoute(ApplicationAvailability availability, AgentRuntime runtime) {
        return health("/readiness", AgentHealthHandler.Group.READINESS, availability, runtime);
    }

    @Bean
    AgentRoute infoRoute(
            Environment environment, ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        return new AgentRoute(
                ACTUATOR + "/info",
                "GET",
                new AgentInfoHandler(
                        environment.getProperty("spring.application.name", "node-agent"),
                        build.getIfAvailable(),
                        git.getIfAvailable(),
                        this.responses));
    }

    private AgentRoute health(
            String suffix, AgentHealthHandler.Group group, ApplicationAvailability availability, AgentRuntime runtime) {
        return new AgentRoute(
                ACTUATOR + "/health" + suffix,
                "GET",
                new AgentHealthHandler(group, availability, runtime, this.responses));
    }
}
