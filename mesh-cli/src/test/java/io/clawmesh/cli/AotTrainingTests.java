package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.cli.training.AotTraining;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT training run: the real command line, verb after verb, against its stand-in coordinator, silently. */
class AotTrainingTests {

    private final PrintStream out = System.out;

    private final PrintStream err = System.err;

    private final String home = System.getProperty("user.home");

    @BeforeEach
    void emptyHome(@TempDir Path home) {
        // as the launcher runs it: no config file or operator token of the developer's
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.setOut(this.out);
        System.setErr(this.err);
        System.setProperty("user.home", this.home);
    }

    @Test
    void trainingShouldRunEveryVerbAsExpectedAndPrintNothing() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);

        int exitCode = AotTraining.run(MeshCliApplication::run);

        assertThat(exitCode).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(System.out).isSameAs(capture);
        assertThat(System.err).isSameAs(capture);
    }

    @Test
    void trainingShouldGetRealAnswersFromItsStandInOnLoopback() {
        Map<String, String> printed = new LinkedHashMap<>();
        List<Integer> exitCodes = new ArrayList<>();

        int exitCode = AotTraining.run((args) -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            PrintStream discarded = System.out;
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                exitCodes.add(MeshCliApplication.run(args));
            } finally {
                System.setOut(discarded);
            }
            assertThat(args[0]).isEqualTo("--coordinator");
            assertThat(args[1]).startsWith("http://127.0.0.1:");
            printed.put(
                    String.join(" ", List.of(args).subList(4, args.length)), buffer.toString(StandardCharsets.UTF_8));
            return exitCodes.getLast();
        });

        assertThat(exitCode).isZero();
        assertThat(exitCodes).isNotEmpty().containsOnly(0);
        assertThat(printed.get("nodes"))
                .startsWith("NAME ")
                .contains("mac-mini", "linux-gpu", "laptop", "old-box", "outbound", "zeroclaw (down)", "4/4");
    }
}
