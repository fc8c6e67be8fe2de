package io.clawmesh.cli.training;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The run that trains the CLI's AOT cache (JDK 25 {@code -XX:AOTCacheOutput}, the {@code claw-mesh} launcher's
 * {@code select_cli}): the one-shot verbs, each through the command line's whole path (its own Spring context, the
 * parser, the HTTP client, JSON, the table), against a {@link StandInCoordinator} on loopback, so the cache holds the
 * classes of a real answer and not only those of a refused connection. Nothing is printed; the exit code is 0 when
 * every verb ended as expected.
 *
 * <p>It is chosen by a system property, not a verb: no command line a user types reaches it.
 */
public final class AotTraining {

    /** The system property ({@code true}) that makes {@code main} run the training instead of the command line. */
    public static final String PROPERTY = "claw-mesh.aot-training";

    private static final String TOKEN = "aot-training-token";

    /** A verb's words and the exit code it ends with against the stand-in. */
    record Verb(List<String> words, int exitCode) {}

    /**
     * The one-shot verbs that read, then the paths of an error answer and of a bad flag. Every class a verb loads here
     * is in the cache, and the JVM loads every class of the cache on every start: {@code task list} is left out, as it
     * loads Hibernate Validator (about 440 classes), which cost every other verb more than the cache saved it (all ten
     * verbs against {@code nodes} alone: 6,509 against 5,770 classes, about 90 ms more CPU per verb; bench/README.md).
     */
    static final List<Verb> VERBS = List.of(
            new Verb(List.of("nodes"), 0),
            new Verb(List.of("status"), 0),
            new Verb(List.of("nodes", "--output", "json"), 0),
            new Verb(List.of("node", "show", "linux-gpu"), 0),
            new Verb(List.of("route", "list"), 0),
            new Verb(List.of("key", "list"), 0),
            new Verb(List.of("version"), 0),
            new Verb(List.of("route", "remove", "rule-gone"), 1),
            new Verb(List.of("nodes", "--no-such-flag"), 2));

    private AotTraining() {}

    /**
     * Runs {@link #VERBS} through {@code commandLine} (what {@code main} does with its arguments, returning the exit
     * code) with standard output and error discarded.
     *
     * @return 0 when every verb ended with its exit code, else 1
     */
    public static int run(ToIntFunction<String[]> commandLine) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discarded = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        System.setOut(discarded);
        System.setErr(discarded);
        try (StandInCoordinator coordinator = StandInCoordinator.start()) {
            int unexpected = 0;
            for (Verb verb : VERBS) {
                if (commandLine.applyAsInt(arguments(coordinator.url(), verb)) != verb.exitCode()) {
                    unexpected++;
                }
            }
            return (unexpected == 0) ? 0 : 1;
        } catch (IOException | RuntimeException ex) {
            return 1;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] arguments(String coordinator, Verb verb) {
        List<String> words = new ArrayList<>(List.of("--coordinator", coordinator, "--token", TOKEN));
        words.addAll(verb.words());
        return words.toArray(String[]::new);
    }
}
