package io.clawmesh.coordinator.aot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The guard turns Spring AOT off, before the context is made, for a run that sets what the build decided. */
class SpringAotGuardTests {

    private final SpringAotGuard guard = new SpringAotGuard(new SpringApplication(), new String[0]);

    private String saved;

    @BeforeEach
    void saveTheFlag() {
        this.saved = System.getProperty(SpringAotGuard.AOT_ENABLED);
    }

    @AfterEach
    void restoreTheFlag() {
        if (this.saved == null) {
            System.clearProperty(SpringAotGuard.AOT_ENABLED);
        } else {
            System.setProperty(SpringAotGuard.AOT_ENABLED, this.saved);
        }
    }

    @Test
    void runThatSetsAConditionsKeyShouldTurnSpringAotOff() {
        System.setProperty(SpringAotGuard.AOT_ENABLED, "true");

        this.guard.environmentPrepared(new DefaultBootstrapContext(), environment(Map.of("mesh.mcp.enabled", "false")));

        assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
    }

    @Test
    void runWithTheBuildsSettingsShouldKeepSpringAotOn() {
        System.setProperty(SpringAotGuard.AOT_ENABLED, "true");

        this.guard.environmentPrepared(new DefaultBootstrapContext(), environment(Map.of("server.port", "9180")));

        assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
    }

    @Test
    void runWithoutSpringAotShouldBeLeftAlone() {
        System.clearProperty(SpringAotGuard.AOT_ENABLED);

        this.guard.environmentPrepared(new DefaultBootstrapContext(), environment(Map.of("mesh.mcp.enabled", "false")));

        assertThat(System.getProperty(SpringAotGuard.AOT_ENABLED)).isNull();
    }

    private static StandardEnvironment environment(Map<String, Object> commandLine) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        return environment;
    }
}
