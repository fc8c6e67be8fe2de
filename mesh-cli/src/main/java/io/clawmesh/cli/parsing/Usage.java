package io.clawmesh.cli.parsing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;

/** Writes the usage text of one verb, and the overview of all of them, from what the commands declare. */
public final class Usage {

    private Usage() {}

    /** {@code usage: claw-mesh route add --match EXPR [--target NODE] ...}, the description and every flag. */
    public static String of(Command command) {
        StringBuilder text = new StringBuilder("usage: claw-mesh ").append(command.getName());
        Synopsis synopsis = Synopsis.of(command);
        for (CommandOption option : command.getOptions()) {
            text.append(' ');
            String flag = "--" + option.longName() + (isBoolean(option) ? "" : " " + placeholder(option));
            text.append(Boolean.TRUE.equals(option.required()) ? flag : "[" + flag + "]");
        }
        if (!synopsis.text().isEmpty()) {
            text.append(' ').append(synopsis.text());
        }
        text.append("\n\n").append(command.getDescription()).append("\n");
        List<CommandOption> all = new ArrayList<>(command.getOptions());
        all.addAll(GlobalOptions.OPTIONS);
        text.append("\nflags:\n");
        for (CommandOption option : all) {
            String flag = "--" + option.longName() + (option.shortName() != ' ' ? ", -" + option.shortName() : "")
                    + (isBoolean(option) ? "" : " " + placeholder(option));
            text.append(String.format("  %-28s %s%n", flag, describe(option)));
        }
        text.append(String.format("  %-28s %s%n", "--help, -h", "show this help"));
        return text.toString();
    }

    /** The list of verbs by group, with the launcher verbs first. */
    public static String overview(CommandRegistry registry) {
        Map<String, List<Command>> groups = new TreeMap<>();
        registry.getCommands().stream()
                .filter((c) -> !c.isHidden())
                .sorted(Comparator.comparing(Command::getName))
                .forEach((c) -> groups.computeIfAbsent(c.getGroup(), (g) -> new ArrayList<>())
                        .add(c));
        StringBuilder text = new StringBuilder("claw-mesh: one mesh, many claws\n\n");
        text.append("usage: claw-mesh <command> [flags]   (no command: the interactive shell)\n");
        groups.forEach((group, commands) -> {
            text.append('\n').append(group).append(":\n");
            for (Command command : commands) {
                text.append(String.format("  %-14s %s%n", command.getName(), command.getDescription()));
            }
        });
        text.append("\nglobal flags: --coordinator URL, --token T, --config FILE, --output table|json\n");
        text.append("claw-mesh help <command> (or <command> --help) explains one command.\n");
        return text.toString();
    }

    private static String describe(CommandOption option) {
        String description = (option.description() != null) ? option.description() : "";
        String defaultValue = option.defaultValue();
        if (defaultValue != null && !defaultValue.isEmpty() && !isBoolean(option)) {
            description += " (default " + defaultValue + ")";
        }
        if (Boolean.TRUE.equals(option.required())) {
            description += " (required)";
        }
        return description;
    }

    private static String placeholder(CommandOption option) {
        String name = (option.longName() != null) ? option.longName() : "value";
        return switch (name) {
            case "match" -> "EXPR";
            case "target", "node" -> "NODE";
            case "count", "position", "since", "limit" -> "N";
            case "priority" -> "0-9";
            case "timeout" -> "DURATION";
            case "idempotency-key" -> "KEY";
            case "output" -> "table|json";
            case "coordinator" -> "URL";
            case "config", "path" -> "FILE";
            default -> name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        };
    }

    private static boolean isBoolean(CommandOption option) {
        return option.type() == boolean.class || option.type() == Boolean.class;
    }
}
