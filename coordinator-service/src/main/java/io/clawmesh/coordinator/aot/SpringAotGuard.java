package io.clawmesh.coordinator.aot;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns Spring AOT off for a run whose settings differ from the build's ({@link FrozenSettings}), before the context
 * is made: asked for with {@code -Dspring.aot.enabled=true} (the launcher's default), the coordinator then starts as
 * without it and evaluates every condition at run time. A start that silently ignored {@code mesh.tls.enabled} or
 * {@code management.server.port} would be worse than a slow one (ADR 0016).
 */
public class SpringAotGuard implements SpringApplicationRunListener, Ordered {

    static final String AOT_ENABLED = AotDetector.AOT_ENABLED;

    private static final Logger logger = LoggerFactory.getLogger(SpringAotGuard.class);

    public SpringAotGuard(SpringApplication application, String[] args) {}

    @Override
    public void environmentPrepared(ConfigurableBootstrapContext context, ConfigurableEnvironment environment) {
        // the environment is whole here (config files, claw-mesh.yaml, CLAW_MESH_*, mesh TLS); Boot asks
        // AotDetector again when it creates and prepares the context, which comes next
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        Optional<String> frozen = FrozenSettings.firstFrozen(environment);
        if (frozen.isPresent()) {
            System.setProperty(AOT_ENABLED, "false");
            logger.info(
                    "Spring AOT off for this run: {} is set, and the build decided the conditions that read it",
                    frozen.get());
        } else {
            logger.info("Spring AOT on: the bean definitions generated at build time");
        }
    }

    @Override
    public int getOrder() {
        // after Boot's EventPublishingRunListener (order 0), whose listeners finish the environment
        return Ordered.LOWEST_PRECEDENCE;
    }
}
