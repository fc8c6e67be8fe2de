package io.clawmesh.cli.client;

import io.clawmesh.cli.parsing.GlobalOptions;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.settings.SettingsResolver;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.web.client.RestClient;

/**
 * Builds the {@link MeshClient} of one command from its global flags, the flags the CLI started with, the environment
 * and the config file.
 */
public class MeshClients {

    /** Read timeout of ordinary calls. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** Read timeout of {@code send}: an agent turn can take minutes (SPEC §6.8). */
    static final Duration SEND_TIMEOUT = Duration.ofMinutes(15);

    private final SettingsResolver resolver;

    private final RestClient.Builder builder;

    private final GlobalOptions launchOptions;

    public MeshClients(SettingsResolver resolver, RestClient.Builder builder, GlobalOptions launchOptions) {
        this.resolver = resolver;
        this.builder = builder;
        this.launchOptions = launchOptions;
    }

    /** A client for an ordinary command. */
    public MeshClient client(CommandContext context) {
        return new MeshClient(settings(context), this.builder, READ_TIMEOUT);
    }

    /** A client that waits as long as a message may take. */
    public MeshClient slowClient(CommandContext context) {
        return new MeshClient(settings(context), this.builder, SEND_TIMEOUT);
    }

    /** The task calls of a command. */
    public TaskClient tasks(CommandContext context) {
        return new TaskClient(client(context));
    }

    /** The audit and token calls of a command. */
    public AuditClient audit(CommandContext context) {
        return new AuditClient(client(context));
    }

    /** A client for the flags the CLI started with, for completion (which sees no command flags yet). */
    public MeshClient launchClient() {
        return new MeshClient(this.resolver.resolve(this.launchOptions, null), this.builder, READ_TIMEOUT);
    }

    /** The task calls for the flags the CLI started with, for completion. */
    public TaskClient launchTasks() {
        return new TaskClient(launchClient());
    }

    /** The resolved settings of a command. */
    public ConnectionSettings settings(CommandContext context) {
        return this.resolver.resolve(options(context), commandName(context));
    }

    /** The global flags of a command, falling back to those the CLI started with. */
    public GlobalOptions options(CommandContext context) {
        GlobalOptions given = new GlobalOptions(
                value(context, "coordinator"),
                value(context, "token"),
                value(context, "config"),
                value(context, "output"),
                value(context, "ca-fingerprint"));
        return given.orElse(this.launchOptions);
    }

    private static @Nullable String value(CommandContext context, String name) {
        CommandOption option = context.getOptionByLongName(name);
        if (option == null && name.equals("output")) {
            option = context.getOptionByShortName('o');
        }
        return (option != null) ? option.value() : null;
    }

    static String commandName(CommandContext context) {
        String name = context.parsedInput().commandName();
        return context.parsedInput().subCommands().isEmpty()
                ? name
                : name + " " + String.join(" ", context.parsedInput().subCommands());
    }
}
