package io.clawmesh.coordinator.aot;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The settings that Spring AOT evaluates at build time: conditions on properties ({@code @ConditionalOnProperty},
 * {@code @ConditionalOnExpression}, Boot's own) are decided when the bean definitions are generated, so a run that
 * sets one of them must not use those definitions. Answers the first such setting of a run, if any.
 *
 * <p>For {@code mesh.*} the coordinator's own conditions are known ({@code FrozenSettingsTests} fails when a new one
 * reads a key missing here); for Boot's {@code spring.*}, {@code management.*} and {@code server.*} the list goes
 * the other way: only keys known to be read by no condition are safe, any other one counts as frozen.
 */
final class FrozenSettings {

    /** The {@code mesh.*} keys (and key prefixes) that a condition of the coordinator reads. */
    static final List<String> MESH_CONDITION_KEYS =
            List.of("mesh.tls.", "mesh.mcp.enabled", "mesh.routing.fast-path.enabled");

    /** Boot keys that no condition reads: a run may set them and still use the build's bean definitions. */
    static final Set<String> SAFE_BOOT_KEYS = Set.of(
            "server.port",
            "server.address",
            "spring.datasource.url",
            "spring.datasource.username",
            "spring.datasource.password",
            "spring.aot.enabled",
            // Boot's own, from the jar's manifest and the process (ApplicationInfoPropertySource)
            "spring.application.version",
            "spring.application.pid",
            "spring.context.exit");

    private static final String DATASOURCE_URL = "spring.datasource.url";

    /** Boot's name for the config files it loads from inside the jar (the build's own settings). */
    private static final String PACKAGED_CONFIG = "class path resource [application";

    private FrozenSettings() {}

    /** The first setting of this run that the build froze (a key, or why), or empty when the run matches. */
    static Optional<String> firstFrozen(ConfigurableEnvironment environment) {
        CloudPlatform platform = CloudPlatform.getActive(environment);
        if (platform != null) {
            return Optional.of("the cloud platform " + platform);
        }
        // SharedSessionConfiguration: a build for H2 (the packaged default) has no JDBC sessions
        String url = environment.getProperty(DATASOURCE_URL, "");
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(DATASOURCE_URL + " (PostgreSQL)");
        }
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable
                    && !source.getName().contains(PACKAGED_CONFIG)) {
                for (String name : enumerable.getPropertyNames()) {
                    if (frozen(name)) {
                        return Optional.of(name);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a property name, in any of Boot's relaxed forms ({@code mesh.routing.fast-path.enabled},
     * {@code MESH_ROUTING_FASTPATH_ENABLED}, {@code -Dmesh.routing.fastPath.enabled}), is one the build froze.
     */
    static boolean frozen(String name) {
        String key = canonical(name);
        if (key.startsWith("mesh.")) {
            return MESH_CONDITION_KEYS.stream().map(FrozenSettings::canonical).anyMatch(key::startsWith);
        }
        if (key.startsWith("spring.") || key.startsWith("management.") || key.startsWith("server.")) {
            return SAFE_BOOT_KEYS.stream().map(FrozenSettings::canonical).noneMatch(key::equals);
        }
        return false;
    }

    /** Lower case, no dashes, underscores as dots: the form in which relaxed names compare equal. */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace('_', '.');
    }
}
