package io.clawmesh.cli;

import io.clawmesh.cli.parsing.GlobalOptions;
import io.clawmesh.cli.settings.CliEnvironment;
import io.clawmesh.cli.settings.UpSettings;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.cli.training.AotTraining;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point of the {@code claw-mesh} CLI. With a verb it runs that one command and exits with its code (SPEC §11);
 * with none (global flags allowed) it opens the interactive shell. Spring Shell 4 picks its runner only from
 * {@code spring.shell.interactive.enabled}, so {@code main} decides it here.
 */
@SpringBootApplication
public class MeshCliApplication {

    public static void main(String[] args) {
        // CliLogging sets up Logback instead, without parsing XML (ADR 0016)
        if (System.getProperty(LoggingSystem.SYSTEM_PROPERTY) == null) {
            System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        }
        if (Boolean.getBoolean(AotTraining.PROPERTY)) {
            System.exit(AotTraining.run(MeshCliApplication::run));
        }
        System.exit(run(args));
    }

    /** Runs one command line (a verb, or the shell without one) and returns its exit code. */
    static int run(String[] args) {
        if (args.length > 0 && args[0].equals(UpSettings.VERB)) {
            return UpSettings.print(args, CliEnvironment.system(), System.out, System.err);
        }
        GlobalOptions.Split split;
        try {
            split = GlobalOptions.split(List.of(args));
        } catch (UsageException ex) {
            System.err.println("claw-mesh: " + ex.getMessage());
            return 2;
        }
        ConfigurableApplicationContext context = application(split).run(args);
        return SpringApplication.exit(context);
    }

    static SpringApplicationBuilder application(GlobalOptions.Split split) {
        List<String> properties = new ArrayList<>();
        properties.add("spring.shell.interactive.enabled=" + split.rest().isEmpty());
        GlobalOptions options = split.options();
        add(properties, "coordinator", options.coordinator());
        add(properties, "token", options.token());
        add(properties, "config", options.config());
        add(properties, "output", options.output());
        add(properties, "ca-fingerprint", options.caFingerprint());
        return new SpringApplicationBuilder(MeshCliApplication.class)
                .web(WebApplicationType.NONE)
                // the words are the command, not Spring properties (--token=x must not become a property "token")
                .addCommandLineProperties(false)
                .properties(properties.toArray(String[]::new));
    }

    private static void add(List<String> properties, String name, String value) {
        if (value != null) {
            properties.add(CliConfiguration.LAUNCH_PREFIX + name + "=" + value);
        }
    }
}
