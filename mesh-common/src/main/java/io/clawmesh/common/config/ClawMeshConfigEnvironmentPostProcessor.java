package io.clawmesh.common.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads {@code claw-mesh.yaml} and the {@code CLAW_MESH_*} environment into every claw-mesh program. A program opts in
 * with {@code mesh.config.role} ({@code coordinator}, {@code agent} or {@code cli}) in its packaged application config.
 * Precedence, highest first: command-line flags, Spring's own environment variables ({@code MESH_AGENT_TOKEN}), the
 * {@code CLAW_MESH_*} variables, the file, then the packaged {@code application.yml} or {@code application.properties}. The file is {@code mesh.config.file} (or
 * {@code CLAW_MESH_CONFIG}), else the first {@code claw-mesh.yaml} in {@code .}, {@code ~/.claw-mesh/},
 * {@code /etc/claw-mesh/}; {@code mesh.config.enabled=false} skips the search (tests).
 */
public class ClawMeshConfigEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding the file's values. */
    public static final String FILE_SOURCE = "clawMeshConfigFile";

    /** Name of the property source holding the {@code CLAW_MESH_*} values. */
    public static final String ENVIRONMENT_SOURCE = "clawMeshEnvironment";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String role = environment.getProperty("mesh.config.role");
        if (role == null || !environment.getProperty("mesh.config.enabled", Boolean.class, true)) {
            return;
        }
        ConfigRole configRole = ConfigRole.of(role);
        String explicit = environment.getProperty("mesh.config.file", System.getenv("CLAW_MESH_CONFIG"));
        Optional<Path> file = ClawMeshConfigFile.locate(
                explicit, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
        MutablePropertySources sources = environment.getPropertySources();
        String anchor = sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                ? StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
                : null;
        Map<String, Object> fromEnvironment = ConfigMapping.fromEnvironment(System.getenv(), configRole);
        MapPropertySource environmentSource = new MapPropertySource(ENVIRONMENT_SOURCE, fromEnvironment);
        if (anchor != null) {
            sources.addAfter(anchor, environmentSource);
        } else {
            sources.addFirst(environmentSource);
        }
        file.ifPresent((path) -> {
            ClawMeshConfigFile config = ClawMeshConfigFile.read(path);
            sources.addAfter(
                    ENVIRONMENT_SOURCE, new MapPropertySource(FILE_SOURCE, ConfigMapping.fromFile(config, configRole)));
        });
    }

    @Override
    public int getOrder() {
        // after the config data processor, so that mesh.config.role from application.yml is visible
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
