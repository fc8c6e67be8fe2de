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
 * {@code select_cli}): a one-shot verb through the command line's whole path (its own Spring context, the parser, the
 * HTTP client, JSON, the table) against a {@link StandInCoordinator} on loopback, so the cache holds the classes of a
 * real answer and not only those of a refused connection. Nothing is printed; the exit code is 0 when every verb ended
 * with 0.
 *
 * <p>It is chosen by a system property, not a verb: no command line a user types reaches it.
 */
public final class AotTraining {

    /** The system property ({@code true}) that makes {@code main} run the training instead of the command line. */
    public static final String PROPERTY = "claw-mesh.aot-training";

    private static final String TOKEN = "aot-training-token";

    /**
     * The verbs it runs, each expected to end with 0. Every class a verb loads here is in the cache, and the JVM loads
     * every class of the cache on every start, so a verb added here costs every other verb: measured against {@code
     * nodes} alone (5,770 classes), adding {@code status} cost {@code nodes} 2–6 % more CPU and saved {@code status}
     * nothing measurable; seven read verbs and two error paths (5,871 classes) cost it 5–7 %; with {@code task list}
     * (Hibernate Validator, about 440 classes) {@code nodes} was no faster than from the old refused-port training
     * (bench/README.md, 2026-12-07).
     */
    static final List<List<String>> VERBS = List.of(List.of("nodes"));

    private AotTraining() {}

    /**
     * Runs {@link #VERBS} through {@code commandLine} (what {@code main} does with its arguments, returning the exit
     * code) with standard output and error discarded.
     *
     * @return 0 when every verb ended with 0, else 1
     */
    public static int run(ToIntFunction<String[]> commandLine) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discarded = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        System.setOut(discarded);
        System.setErr(discarded);
        try (StandInCoordinator coordinator = StandInCoordinator.start()) {
            int unexpected = 0;
            for (List<String> verb : VERBS) {
                if (commandLine.applyAsInt(arguments(coordinator.url(), verb)) != 0) {
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

    private static String[] arguments(String coordinator, List<String> verb) {
        List<String> words = new ArrayList<>(List.of("--coordinator", coordinator, "--token", TOKEN));
        words.addAll(verb);
        return words.toArray(String[]::new);
    }
}
