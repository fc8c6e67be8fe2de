package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.cli.parsing.CommandRegistrations;
import jakarta.validation.Constraint;
import jakarta.validation.Valid;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * The two start-up shortcuts of {@link CliConfiguration} (ADR 0016) stay true: the command classes it lists are those
 * Spring Shell's classpath scan would find, and no command declares a Bean Validation constraint, which its
 * validator would ignore.
 */
class CliConfigurationTests {

    @Test
    void commandClassesWhenComparedWithSpringShellsScanShouldBeTheSame() throws Exception {
        // what CommandRegistryAutoConfiguration does: components under the application's package with @Command methods
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true);
        Set<Class<?>> scanned = new HashSet<>();
        for (BeanDefinition candidate :
                scanner.findCandidateComponents(ClassUtils.getPackageName(MeshCliApplication.class))) {
            Class<?> type =
                    ClassUtils.forName(candidate.getBeanClassName(), getClass().getClassLoader());
            if (!CommandRegistrations.commandMethods(type).isEmpty()) {
                scanned.add(type);
            }
        }

        assertThat(scanned).isNotEmpty();
        assertThat(CliConfiguration.COMMAND_CLASSES).containsExactlyInAnyOrderElementsOf(scanned);
    }

    @Test
    void commandMethodsShouldDeclareNoBeanValidationConstraints() {
        for (Class<?> type : CliConfiguration.COMMAND_CLASSES) {
            for (Method method : CommandRegistrations.commandMethods(type)) {
                for (Parameter parameter : method.getParameters()) {
                    for (Annotation annotation : parameter.getAnnotations()) {
                        assertThat(annotation.annotationType().isAnnotationPresent(Constraint.class)
                                        || annotation.annotationType() == Valid.class)
                                .as("%s.%s(%s): %s", type.getSimpleName(), method.getName(), parameter, annotation)
                                .isFalse();
                    }
                }
            }
        }
    }
}
