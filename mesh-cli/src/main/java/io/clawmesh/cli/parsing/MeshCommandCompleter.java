package io.clawmesh.cli.parsing;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.jline.CommandCompleter;

/**
 * TAB completion that also completes a verb's arguments while they are being typed ({@code node show al<TAB>}):
 * Spring Shell 4.0's completer looks the verb up by all the words before the cursor, so it finds no verb as soon as an
 * argument is started. Verbs themselves are still completed by Spring Shell.
 */
public class MeshCommandCompleter extends CommandCompleter {

    private final CommandRegistry registry;

    public MeshCommandCompleter(CommandRegistry registry) {
        super(registry);
        this.registry = registry;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        int commandWords = commandWords(words, index);
        if (commandWords == 0) {
            super.complete(reader, line, candidates);
            return;
        }
        Command command = this.registry.getCommandByName(String.join(" ", words.subList(0, commandWords)));
        String current = (index < words.size()) ? words.get(index) : "";
        if (current.startsWith("-")) {
            List<CommandOption> options = new ArrayList<>(command.getOptions());
            options.addAll(GlobalOptions.OPTIONS);
            options.forEach((option) -> candidates.add(new Candidate("--" + option.longName())));
            return;
        }
        CommandOption option = (index > commandWords) ? valueOf(command, words.get(index - 1)) : null;
        CompletionContext context = new CompletionContext(words, index, line.wordCursor(), command, option);
        for (CompletionProposal proposal : command.getCompletionProvider().apply(context)) {
            candidates.add(new Candidate(
                    proposal.value(),
                    proposal.displayText(),
                    proposal.category(),
                    proposal.description(),
                    null,
                    null,
                    true,
                    0));
        }
    }

    /** How many leading words (before the cursor) name a verb, or 0 when they do not. */
    private int commandWords(List<String> words, int index) {
        for (int n = Math.min(index, words.size()); n >= 1; n--) {
            List<String> head = words.subList(0, n);
            if (head.stream().noneMatch((w) -> w.startsWith("-"))
                    && this.registry.getCommandByName(String.join(" ", head)) != null) {
                return n;
            }
        }
        return 0;
    }

    /** The option whose value the word after {@code flag} is, if {@code flag} is one that takes a value. */
    private static @Nullable CommandOption valueOf(Command command, String flag) {
        List<CommandOption> options = new ArrayList<>(command.getOptions());
        options.addAll(GlobalOptions.OPTIONS);
        return options.stream()
                .filter((o) -> o.isOptionEqual(flag))
                .filter((o) -> o.type() != boolean.class && o.type() != Boolean.class)
                .findFirst()
                .orElse(null);
    }
}
