package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.parsing.CliRunner;
import io.clawmesh.cli.parsing.CommandLineExecutor;
import io.clawmesh.cli.parsing.GlobalOptions;
import io.clawmesh.cli.parsing.MeshCommandCompleter;
import io.clawmesh.cli.parsing.MeshCommandParser;
import io.clawmesh.cli.settings.CliEnvironment;
import io.clawmesh.cli.settings.SettingsResolver;
import io.clawmesh.cli.support.Interrupts;
import io.clawmesh.common.json.StrictJson;
import java.time.Clock;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
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
