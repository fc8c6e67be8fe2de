package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.parsing.CliRunner;
import io.clawmesh.cli.parsing.CommandLineExecutor;
import io.clawmesh.cli.parsing.CommandRegistrations;
import io.clawmesh.cli.parsing.GlobalOptions;
import io.clawmesh.cli.parsing.MeshCommandCompleter;
import io.clawmesh.cli.parsing.MeshCommandParser;
import io.clawmesh.cli.parsing.NoConstraintsValidator;
import io.clawmesh.cli.settings.CliEnvironment;
import io.clawmesh.cli.settings.SettingsResolver;
import io.clawmesh.cli.support.Interrupts;
import io.clawmesh.common.json.StrictJson;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.jline.JLineInputProvider;
import org.springframework.shell.jline.PromptProvider;
import org.springframework.web.client.RestClient;

/** The CLI's own parts of Spring Shell: the strict parser, the runner with exit codes, settings and the client. */
@Configuration(proxyBeanMethods = false)
public class CliConfiguration {

    /** Prefix of the properties {@code main} uses to hand over the global flags given before or after the verb. */
    public static final String LAUNCH_PREFIX = "mesh.cli.launch.";

    /** Every class with {@code @Command} methods; CliConfigurationTests compares it with Spring Shell's scan. */
    static final List<Class<?>> COMMAND_CLASSES = List.of(
            AuditCommands.class,
            HelpCommands.class,
            InitCommands.class,
            KeyCommands.class,
            LauncherCommands.class,
            NodeCommands.class,
            RouteCommands.class,
            SendCommands.class,
            StatusCommands.class,
            TaskCommands.class,
            TokenCommands.class,
            VersionCommands.class,
            WatchCommands.class);

    /** Spring Shell's registry without its classpath scan (ADR 0016). */
    @Bean
    CommandRegistry commandRegistry(ApplicationContext context) {
        return CommandRegistrations.registry(context, COMMAND_CLASSES);
    }

    /** What Spring Shell validates commands with: they declare no constraints (ADR 0016). */
    @Bean
    Validator commandValidator() {
        return new NoConstraintsValidator();
    }

    @Bean
    MeshCommandParser commandParser(CommandRegistry registry) {
        return new MeshCommandParser(registry);
    }

    @Bean
    MeshCommandCompleter commandCompleter(CommandRegistry registry) {
        return new MeshCommandCompleter(registry);
    }

    @Bean
    CommandLineExecutor commandLineExecutor(MeshCommandParser parser, CommandRegistry registry) {
        return new CommandLineExecutor(parser, registry);
    }

    @Bean
    CliRunner cliRunner(
            CommandLineExecutor executor, ObjectProvider<JLineInputProvider> inputProvider, Environment environment) {
        return new CliRunner(
                executor,
                inputProvider,
                environment.getProperty("spring.shell.interactive.enabled", Boolean.class, true));
    }

    /** The coordinator's answers are read without scalar coercion, as every claw-mesh program reads JSON. */
    @Bean
    JsonMapperBuilderCustomizer strictScalars() {
        return StrictJson::configure;
    }

    @Bean
    CliEnvironment cliEnvironment() {
        return CliEnvironment.system();
    }

    @Bean
    SettingsResolver settingsResolver(CliEnvironment environment) {
        return new SettingsResolver(environment);
    }

    @Bean
    MeshClients meshClients(SettingsResolver resolver, RestClient.Builder builder, Environment environment) {
        GlobalOptions launch = new GlobalOptions(
                environment.getProperty(LAUNCH_PREFIX + "coordinator"),
                environment.getProperty(LAUNCH_PREFIX + "token"),
                environment.getProperty(LAUNCH_PREFIX + "config"),
                environment.getProperty(LAUNCH_PREFIX + "output"),
                environment.getProperty(LAUNCH_PREFIX + "ca-fingerprint"));
        return new MeshClients(resolver, builder, launch);
    }

    @Bean
    Interrupts interrupts(ObjectProvider<Terminal> terminal, Environment environment) {
        return new Interrupts(
                terminal, environment.getProperty("spring.shell.interactive.enabled", Boolean.class, true));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PromptProvider promptProvider() {
        return () -> new AttributedString("claw-mesh:> ", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
    }
}
