package io.clawmesh.cli;

import io.clawmesh.cli.parsing.Usage;
import io.clawmesh.cli.support.UsageException;
import java.io.PrintWriter;
import java.util.List;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.stereotype.Component;

/** The {@code help} verb: every command, or the usage and flags of one ({@code help route add}). */
@Component
public class HelpCommands {

    @org.springframework.shell.core.command.annotation.Command(
            name = "help",
            group = "Setup",
            description = "List the commands, or explain one: help route add",
            help = "[command]...")
    public void help(CommandContext context, @Arguments List<String> words) {
        CommandRegistry registry = context.commandRegistry();
        PrintWriter out = context.outputWriter();
        if (words.isEmpty()) {
            out.print(Usage.overview(registry));
        } else {
            String name = String.join(" ", words);
            Command command = registry.getCommandByName(name);
            if (command == null) {
                List<String> sub = registry.getCommands().stream()
                        .map(Command::getName)
                        .filter((n) -> n.startsWith(name + " "))
                        .sorted()
                        .toList();
                if (sub.isEmpty()) {
                    throw new UsageException(null, "no command '" + name + "'");
                }
                sub.forEach((n) -> out.print(Usage.of(registry.getCommandByName(n)) + "\n"));
            } else {
                out.print(Usage.of(command));
            }
        }
        out.flush();
    }
}
