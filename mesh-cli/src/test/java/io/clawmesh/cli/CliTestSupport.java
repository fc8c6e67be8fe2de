package io.clawmesh.cli;

import io.clawmesh.cli.parsing.CommandLineExecutor;
import io.clawmesh.cli.parsing.CommandLineWords;
import io.clawmesh.cli.parsing.MeshCommandParser;
import io.clawmesh.cli.settings.CliEnvironment;
import io.clawmesh.cli.support.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.test.ShellScreen;
import org.springframework.shell.test.ShellTestClient;

/**
 * Base of the command tests: the whole CLI context in one-shot mode, a {@link FakeCoordinator} per test, a home
 * directory of its own (no developer files leak in), a fixed clock, and two ways to run a command line: Spring Shell's
 * {@link ShellTestClient} for what it prints, and the CLI's own executor for the exit code and error line.
 */
@SpringBootTest(
        classes = {MeshCliApplication.class, CliTestSupport.TestBeans.class},
        properties = {"spring.shell.interactive.enabled=false", "spring.main.allow-bean-definition-overriding=true"})
public abstract class CliTestSupport {

    /** The fixed "now" of the tests. */
    public static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

    static final Path HOME = createHome();

    static final Map<String, String> VARIABLES = new HashMap<>();

    @Autowired
    protected MeshCommandParser parser;

    @Autowired
    protected CommandRegistry registry;

    @Autowired
    protected CommandLineExecutor executor;

    protected FakeCoordinator coordinator;

    @BeforeEach
    void startCoordinator() throws IOException {
        this.coordinator = new FakeCoordinator();
        VARIABLES.clear();
    }

    @AfterEach
    void stopCoordinator() {
        this.coordinator.close();
        VARIABLES.clear();
    }

    /** Runs a command through Spring Shell's test client, against the fake coordinator with the operator token. */
    protected ShellScreen shell(String command) throws Exception {
        return new ShellTestClient(this.parser, this.registry)
                .sendCommand(
                        command + " --coordinator " + this.coordinator.url() + " --token " + FakeCoordinator.TOKEN);
    }

    /** Runs a command line as the one-shot CLI would, with the fake coordinator and token appended. */
    protected Result run(String command) {
        return runExactly(command + " --coordinator " + this.coordinator.url() + " --token " + FakeCoordinator.TOKEN);
    }

    /** Runs a command line as given. */
    protected Result runExactly(String line) {
        return runWords(CommandLineWords.split(line));
    }

    protected Result runWords(List<String> words) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExitCode code = this.executor.execute(words, new PrintWriter(out), new PrintWriter(err), new InputReader() {});
        return new Result(code.code(), out.toString(), err.toString());
    }

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String out, String err) {}

    private static Path createHome() {
        try {
            Path home = Files.createTempDirectory("claw-mesh-cli-home");
            home.toFile().deleteOnExit();
            return home;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestBeans {

        @Bean
        @Primary
        CliEnvironment testCliEnvironment() {
            return new CliEnvironment(VARIABLES, HOME, HOME.resolve("work"));
        }

        @Bean
        @Primary
        Clock testClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }
}
