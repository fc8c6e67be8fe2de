package io.clawmesh.cli.parsing;

import io.clawmesh.cli.support.UsageException;
import java.util.List;
import org.springframework.shell.core.command.Command;

/**
 * The positional arguments of a verb, written in its {@code @Command(help = ...)} as a synopsis: {@code <node>} is one
 * required argument, {@code [node]} an optional one, {@code <message>...} one or more (joined with spaces).
 *
 * @param text the synopsis as written
 * @param required how many arguments must be given
 * @param max how many may be given at most ({@link Integer#MAX_VALUE} for {@code ...})
 */
public record Synopsis(String text, int required, int max) {

    /** Reads a verb's synopsis; a verb without one takes no arguments. */
    public static Synopsis of(Command command) {
        String text = (command.getHelp() != null) ? command.getHelp().strip() : "";
        if (text.isEmpty() || text.contains(":")) {
            return new Synopsis("", 0, 0);
        }
        int required = 0;
        int max = 0;
        for (String part : text.split("\\s+")) {
            if (part.endsWith("...")) {
                max = Integer.MAX_VALUE;
                required += part.startsWith("<") ? 1 : 0;
            } else if (part.startsWith("<")) {
                required++;
                max = (max == Integer.MAX_VALUE) ? max : max + 1;
            } else if (part.startsWith("[")) {
                max = (max == Integer.MAX_VALUE) ? max : max + 1;
            }
        }
        return new Synopsis(text, required, max);
    }

    /** Checks the number of arguments. */
    public void check(String command, List<String> arguments) {
        if (arguments.size() < this.required) {
            throw new UsageException(command, "'" + command + "' needs " + this.text);
        }
        if (arguments.size() > this.max) {
            String extra = arguments.get(this.max);
            throw new UsageException(
                    command,
                    (this.max == 0)
                            ? "'" + command + "' takes no arguments, but got '" + extra + "'"
                            : "unexpected argument '" + extra + "' for '" + command + "'");
        }
    }
}
