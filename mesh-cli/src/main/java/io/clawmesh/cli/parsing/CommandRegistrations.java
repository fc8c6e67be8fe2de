package io.clawmesh.cli.parsing;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.shell.core.command.AbstractCommand;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.annotation.support.CommandFactoryBean;

/**
 * Spring Shell's command registry, filled as its auto-configuration fills it (the {@link Command} beans, every
 * {@code @Command} method, then {@code quit}), but from a list of command classes instead of a classpath scan. The
 * scan, and the annotation lookup on every bean that precedes it, loaded and read about a thousand classes on each
 * one-shot verb; the list is checked against the scan by a test (ADR 0016).
 */
public final class CommandRegistrations {

    private CommandRegistrations() {}

    /** A registry with the commands of {@code commandClasses} (beans of {@code context}) and the built-in ones. */
    public static CommandRegistry registry(ApplicationContext context, List<Class<?>> commandClasses) {
        CommandRegistry registry = new CommandRegistry();
        context.getBeansOfType(Command.class).values().forEach(registry::registerCommand);
        for (Class<?> type : commandClasses) {
            for (Method method : commandMethods(type)) {
                CommandFactoryBean factory = new CommandFactoryBean(method);
                factory.setApplicationContext(context);
                registry.registerCommand(factory.getObject());
            }
        }
        registry.registerCommand(new QuitCommand());
        return registry;
    }

    /** The methods of {@code type} that Spring Shell turns into commands. */
    public static Set<Method> commandMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(
                type,
                (Method method) -> AnnotatedElementUtils.hasAnnotation(
                        method, org.springframework.shell.core.command.annotation.Command.class));
    }

    /**
     * Spring Shell's {@code quit} (alias {@code exit}), which it keeps in a class whose initialisation also builds a
     * Bean Validation factory: the interactive shell ends on these words before running them; one-shot, they do
     * nothing.
     */
    static final class QuitCommand extends AbstractCommand {

        QuitCommand() {
            super("quit", "Exit the shell", "Built-In Commands");
        }

        @Override
        public List<String> getAliases() {
            return List.of("exit");
        }

        @Override
        public ExitStatus doExecute(CommandContext context) {
            return ExitStatus.OK;
        }
    }
}
