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
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.util.ClassUtils;

/**
 * The two start-up shortcuts of {@link CliConfiguration} (ADR 0016) stay true: the command classes it lists are those
 * Spring Shell's classpath scan would find, no command declares a Bean Validation constraint, which its validator
 * would ignore, and no option that may be left out is a primitive, whose default would build Hibernate Validator.
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

    @Test
    void optionsThatMayBeLeftOutShouldNotBePrimitives() {
        // Spring Shell fills a primitive that was left out through Utils, whose static initialiser builds Hibernate
        // Validator's default factory: about 440 classes for a verb like task list without --all (ADR 0016)
        for (Class<?> type : CliConfiguration.COMMAND_CLASSES) {
            for (Method method : CommandRegistrations.commandMethods(type)) {
                for (Parameter parameter : method.getParameters()) {
                    Option option = parameter.getAnnotation(Option.class);
                    if (option != null
                            && !option.required()
                            && option.defaultValue().isEmpty()) {
                        assertThat(parameter.getType().isPrimitive())
                                .as("%s.%s(%s): use the boxed type", type.getSimpleName(), method.getName(), parameter)
                                .isFalse();
                    }
                }
            }
        }
    }
}
