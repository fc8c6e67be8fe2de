package io.clawmesh.cli.parsing;

import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.Causes;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.config.ConfigFileException;
import java.io.PrintWriter;
import java.util.List;
import org.springframework.core.convert.ConversionException;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Runs one command line and returns its exit code, printing any failure as one line on the error writer (with the
 * usage text for usage errors). The one-shot runner and the interactive shell both go through it, so a verb behaves
 * the same in both.
 */
public class CommandLineExecutor {

    private final MeshCommandParser parser;

    private final CommandRegistry registry;

    private final CommandExecutor executor;

    public CommandLineExecutor(MeshCommandParser parser, CommandRegistry registry) {
        this.parser = parser;
        this.registry = registry;
        this.executor = new CommandExecutor(registry);
    }

    /** Runs the words of one command line. */
    public ExitCode execute(List<String> words, PrintWriter out, PrintWriter err, InputReader input) {
        try {
            ParsedInput parsed = this.parser.parse(words);
            this.executor.execute(new CommandContext(parsed, this.registry, out, input));
            return ExitCode.OK;
        } catch (CommandNotFoundException ex) {
            return fail(err, new UsageException(null, "unknown command '" + ex.getCommandName() + "'"));
        } catch (RuntimeException ex) {
            return fail(err, translate(ex));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private ExitCode fail(PrintWriter err, CliException ex) {
        // a message may quote what the coordinator or a node sent (a problem detail, a parser's complaint)
        err.println("claw-mesh: " + Untrusted.text(String.valueOf(ex.getMessage())));
        if (ex instanceof UsageException usage) {
            Command command = (usage.command() != null) ? this.registry.getCommandByName(usage.command()) : null;
            err.println();
            err.print((command != null) ? Usage.of(command) : "see claw-mesh help for the commands\n");
        }
        return ex.exitCode();
    }

    static CliException translate(Throwable ex) {
        CliException cli = Causes.find(ex, CliException.class);
        if (cli != null) {
            return cli;
        }
        ConfigFileException config = Causes.find(ex, ConfigFileException.class);
        if (config != null) {
            return new CliException(ExitCode.USAGE, config.getMessage());
        }
        ConversionException conversion = Causes.find(ex, ConversionException.class);
        if (conversion != null) {
            return new UsageException(null, "a flag has a value of the wrong type: " + Causes.rootMessage(conversion));
        }
        String message = Causes.rootMessage(ex);
        if (message.startsWith("Required option")) {
            return new UsageException(null, message);
        }
        return new CliException(ExitCode.REFUSED, "unexpected error: " + message);
    }
}
