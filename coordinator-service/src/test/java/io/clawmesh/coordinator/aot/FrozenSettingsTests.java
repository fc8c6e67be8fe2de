package io.clawmesh.coordinator.aot;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Which settings of a run differ from what Spring AOT decided at build time. */
class FrozenSettingsTests {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");

    @Test
    void runWithTheLaunchersSettingsShouldMatchTheBuild() {
        StandardEnvironment environment = environment(
                Map.of(
                        "PATH",
                        "/usr/bin",
                        "HOME",
                        "/home/u",
                        "MESH_SECURITY_TOKEN",
                        "t",
                        "CLAW_MESH_TOKEN",
                        "t",
                        "MESH_SECURITY_ALLOWLOOPBACK",
                        "true",
                        "SERVER_ADDRESS",
                        "127.0.0.1"),
                "--server.port=9180",
                "--mesh.data-dir=/tmp/d",
                "--mesh.security.allow-private=true",
                "--spring.datasource.url=jdbc:h2:file:/tmp/d/coordinator",
                "--mesh.config.file=/tmp/claw-mesh.yaml");

        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "applicationInfo",
                        Map.of("spring.application.version", "0.1.0", "spring.application.pid", 42)));

        assertThat(FrozenSettings.firstFrozen(environment)).isEmpty();
    }

    @Test
    void settingAConditionsKeyInAnyRelaxedFormShouldCountAsFrozen() {
        assertThat(FrozenSettings.firstFrozen(environment(Map.of("MESH_MCP_ENABLED", "false"))))
                .contains("MESH_MCP_ENABLED");
        assertThat(FrozenSettings.firstFrozen(environment(Map.of(), "--mesh.routing.fastPath.enabled=false")))
                .contains("mesh.routing.fastPath.enabled");
        assertThat(FrozenSettings.firstFrozen(environment(Map.of("MESH_TLS_ENABLED", "true"))))
                .contains("MESH_TLS_ENABLED");
        assertThat(FrozenSettings.firstFrozen(environment(Map.of(), "--management.server.port=9181")))
                .contains("management.server.port");
        assertThat(FrozenSettings.firstFrozen(environment(Map.of("SPRING_PROFILES_ACTIVE", "x"))))
                .contains("SPRING_PROFILES_ACTIVE");
    }

    @Test
    void settingFromClawMeshYamlShouldCountAsFrozen() {
        StandardEnvironment environment = environment(Map.of());
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("clawMeshConfigFile", Map.of("mesh.tls.cert-file", "/etc/c.pem")));

        assertThat(FrozenSettings.firstFrozen(environment)).contains("mesh.tls.cert-file");
    }

    @Test
    void packagedApplicationYmlShouldNotCount() {
        StandardEnvironment environment = environment(Map.of());
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'",
                        Map.of(
                                "management.endpoints.web.exposure.include",
                                "health",
                                "spring.threads.virtual.enabled",
                                "true")));

        assertThat(FrozenSettings.firstFrozen(environment)).isEmpty();
    }

    @Test
    void postgresqlShouldCountAsFrozenAndAnotherH2UrlShouldNot() {
        assertThat(FrozenSettings.firstFrozen(
                        environment(Map.of(), "--spring.datasource.url=jdbc:postgresql://db:5432/mesh")))
                .contains("spring.datasource.url (PostgreSQL)");
        assertThat(FrozenSettings.firstFrozen(environment(Map.of(), "--spring.datasource.url=jdbc:h2:mem:x")))
                .isEmpty();
    }

    @Test
    void kubernetesShouldCountAsFrozen() {
        // Boot's probes and shutdown conditions look at the cloud platform
        StandardEnvironment environment =
                environment(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443"));

        assertThat(FrozenSettings.firstFrozen(environment)).contains("the cloud platform KUBERNETES");
    }

    @Test
    void everyPropertyThatACoordinatorConditionReadsShouldCountAsFrozen() {
        List<String> keys = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.clawmesh.coordinator")) {
            Class<?> reflected = type.reflect();
            keys.addAll(conditionKeys(reflected));
            Arrays.stream(reflected.getDeclaredMethods())
                    .map(FrozenSettingsTests::conditionKeys)
                    .forEach(keys::addAll);
        }

        // McpServerConfiguration, three fast-path filters, TlsConfiguration, NodeCertificateController, sessions
        assertThat(keys)
                .contains(
                        "mesh.mcp.enabled",
                        "mesh.routing.fast-path.enabled",
                        "mesh.tls.enabled",
                        "mesh.tls.cert-file",
                        "spring.datasource.url");
        // spring.datasource.url counts by its value (PostgreSQL or not), as the test above shows
        assertThat(keys)
                .filteredOn((key) -> !key.equals("spring.datasource.url"))
                .allSatisfy((key) -> assertThat(FrozenSettings.frozen(key))
                        .as(key + ": add it to FrozenSettings.MESH_CONDITION_KEYS")
                        .isTrue());
    }

    private static List<String> conditionKeys(AnnotatedElement element) {
        List<String> keys = new ArrayList<>();
        ConditionalOnBooleanProperty booleanProperty = element.getAnnotation(ConditionalOnBooleanProperty.class);
        if (booleanProperty != null) {
            keys.addAll(names(booleanProperty.prefix(), booleanProperty.name(), booleanProperty.value()));
        }
        ConditionalOnProperty property = element.getAnnotation(ConditionalOnProperty.class);
        if (property != null) {
            keys.addAll(names(property.prefix(), property.name(), property.value()));
        }
        ConditionalOnExpression expression = element.getAnnotation(ConditionalOnExpression.class);
        if (expression != null) {
            Matcher matcher = PLACEHOLDER.matcher(expression.value());
            while (matcher.find()) {
                keys.add(matcher.group(1));
            }
        }
        return keys;
    }

    private static List<String> names(String prefix, String[] names, String[] values) {
        String dotted = prefix.isEmpty() || prefix.endsWith(".") ? prefix : prefix + ".";
        return Stream.concat(Arrays.stream(names), Arrays.stream(values))
                .map((name) -> dotted + name)
                .toList();
    }

    private static StandardEnvironment environment(Map<String, Object> variables, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        sources.replace(
                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));
        if (args.length > 0) {
            sources.addFirst(new SimpleCommandLinePropertySource(args));
        }
        return environment;
    }
}
