package io.clawmesh.cli.parsing;

import io.clawmesh.cli.support.UsageException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Parses a command line strictly, which Spring Shell 4.0's default parser does not: unknown flags, missing values,
 * wrong numbers and missing or extra arguments are usage errors; boolean flags never swallow the next word (so
 * {@code send --auto "msg"} works as in the Go version); quotes group words; {@code -h}/{@code --help} anywhere shows
 * the verb's help. The global flags ({@link GlobalOptions}) are accepted on every verb.
 */
public class MeshCommandParser implements CommandParser {

    private final CommandRegistry registry;

    public MeshCommandParser(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ParsedInput parse(String input) {
        return parse(CommandLineWords.split(input));
    }

    /** Parses words that are already split, as the one-shot runner gets them from the operating system. */
    public ParsedInput parse(List<String> words) {
        if (words.isEmpty()) {
            throw new UsageException(null, "no command given");
        }
        int commandWords = commandWords(words);
        String name = String.join(" ", words.subList(0, commandWords));
        Command command = this.registry.getCommandByName(name);
        if (command == null) {
            command = this.registry.getCommandByAlias(name);
        }
        if (command == null) {
            throw unknown(words, name);
        }
        List<String> rest = words.subList(commandWords, words.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            ParsedInput.Builder help = ParsedInput.builder().commandName("help");
            help.addArgument(new CommandArgument(0, command.getName()));
            return help.build();
        }
        List<String> arguments = new ArrayList<>();
        List<CommandOption> given = optionsAndArguments(command, rest, arguments);
        checkRequired(command, given);
        Synopsis.of(command).check(command.getName(), arguments);
        // the canonical name, so that an alias reaches the same command through CommandExecutor
        List<String> canonical = List.of(command.getName().split(" "));
        ParsedInput.Builder builder = ParsedInput.builder().commandName(canonical.get(0));
        canonical.subList(1, canonical.size()).forEach(builder::addSubCommand);
        given.forEach(builder::addOption);
        for (int i = 0; i < arguments.size(); i++) {
            builder.addArgument(new CommandArgument(i, arguments.get(i)));
        }
        return builder.build();
    }

    /** Reads the flags (checked against the verb's and the global ones) and collects the arguments. */
    private static List<CommandOption> optionsAndArguments(Command command, List<String> rest, List<String> arguments) {
        List<CommandOption> given = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String word = rest.get(i);
            if (word.equals("--")) {
                arguments.addAll(rest.subList(i + 1, rest.size()));
                break;
            }
            if (!word.startsWith("-") || word.equals("-") || isNegativeNumber(word)) {
                arguments.add(word);
                continue;
            }
            int equals = word.indexOf('=');
            String flag = (equals > 0) ? word.substring(0, equals) : word;
            CommandOption option = findOption(command, flag);
            if (option == null) {
                throw new UsageException(
                        command.getName(), "unknown flag " + flag + " for '" + command.getName() + "'");
            }
            String value;
            if (equals > 0) {
                value = word.substring(equals + 1);
            } else if (isBoolean(option)) {
                value = "true";
            } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
                value = rest.get(++i);
            } else {
                throw new UsageException(command.getName(), flag + " needs a value");
            }
            checkValue(command, option, flag, value);
            given.add(CommandOption.with()
                    .longName((option.longName() != null) ? option.longName() : "")
                    .shortName(option.shortName())
                    .value(value)
                    .type(option.type())
                    .build());
        }
        return given;
    }

    private static void checkRequired(Command command, List<CommandOption> given) {
        for (CommandOption option : command.getOptions()) {
            boolean present = given.stream()
                    .anyMatch((g) -> g.longName() != null && g.longName().equals(option.longName()));
            if (Boolean.TRUE.equals(option.required()) && !present) {
                throw new UsageException(command.getName(), "--" + option.longName() + " is required");
            }
        }
    }

    private int commandWords(List<String> words) {
        int count = 1;
        String prefix = words.get(0);
        while (count < words.size() && !words.get(count).startsWith("-")) {
            String longer = prefix + " " + words.get(count);
            if (this.registry.getCommandsByPrefix(longer).stream()
                    .noneMatch((c) -> c.getName().equals(longer) || c.getName().startsWith(longer + " "))) {
                break;
            }
            prefix = longer;
            count++;
        }
        return count;
    }

    private UsageException unknown(List<String> words, String name) {
        List<String> subCommands = this.registry.getCommands().stream()
                .map(Command::getName)
                .filter((n) -> n.startsWith(name + " "))
                .map((n) -> n.substring(name.length() + 1))
                .sorted()
                .toList();
        if (!subCommands.isEmpty()) {
            return new UsageException(
                    name,
                    "'" + name + "' needs one of: " + String.join(", ", subCommands) + " (see claw-mesh help " + name
                            + ")");
        }
        String first = words.get(0);
        return new UsageException(null, "unknown command '" + first + "' (see claw-mesh help)");
    }

    private static @Nullable CommandOption findOption(Command command, String flag) {
        for (CommandOption option : command.getOptions()) {
            if (option.isOptionEqual(flag)) {
                return option;
            }
        }
        for (CommandOption option : GlobalOptions.OPTIONS) {
            if (option.isOptionEqual(flag)) {
                return option;
            }
        }
        return null;
    }

    private static boolean isBoolean(CommandOption option) {
        return option.type() == boolean.class || option.type() == Boolean.class;
    }

    private static boolean isNegativeNumber(String word) {
        return word.length() > 1
                && word.charAt(0) == '-'
                && word.substring(1).chars().allMatch(Character::isDigit);
    }

    private static void checkValue(Command command, CommandOption option, String flag, String value) {
        Class<?> type = option.type();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            try {
                Long.parseLong(value);
            } catch (NumberFormatException ex) {
                throw new UsageException(command.getName(), flag + " takes a whole number, not '" + value + "'");
            }
        }
        if (isBoolean(option) && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new UsageException(command.getName(), flag + " takes true or false, not '" + value + "'");
        }
    }
}
