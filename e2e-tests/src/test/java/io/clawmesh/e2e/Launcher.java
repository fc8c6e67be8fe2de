package io.clawmesh.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code claw-mesh} launcher of an unpacked distribution, run as a user runs it: a real {@code sh} process with a
 * home directory of its own (so {@code ~/.claw-mesh} is the test's), short commands run to the end with their output
 * and exit code, long-running ones ({@code up}, {@code join}) started in the background and stopped at the end.
 */
final class Launcher implements AutoCloseable {

    private final Path script;

    private final Path home;

    private final Path logDir;

    private final Map<String, String> environment = new HashMap<>();

    private final List<Process> background = new ArrayList<>();

    Launcher(Path script, Path home, Path logDir) {
        this.script = script;
        this.home = home;
        this.logDir = logDir;
        this.environment.put("HOME", home.toString());
        this.environment.put("NO_COLOR", "1");
        this.environment.put(
                "JAVA_HOME",
                Path.of(ProcessHandle.current().info().command().orElseThrow())
                        .getParent()
                        .getParent()
                        .toString());
    }

    Path home() {
        return this.home;
    }

    Path script() {
        return this.script;
    }

    Launcher env(String name, String value) {
        this.environment.put(name, value);
        return this;
    }

    Map<String, String> environment() {
        return Map.copyOf(this.environment);
    }

    /** Runs {@code claw-mesh args...} to the end (at most two minutes). */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", this.script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(this.logDir, "cli-", ".out");
        Path err = Files.createTempFile(this.logDir, "cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(this.environment);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("claw-mesh " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts {@code claw-mesh args...} in the background, its output in {@code <name>.log}. */
    Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", this.script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(this.logDir.resolve(name + ".log").toFile());
        builder.environment().putAll(this.environment);
        Process process = builder.start();
        this.background.add(process);
        return process;
    }

    /** The last lines of a background process's log, to explain a failure. */
    String log(String name) {
        try {
            List<String> lines = Files.readAllLines(this.logDir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /** Stops a background process like Ctrl-C would (SIGTERM), waiting for it and its children. */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.onExit().completeOnTimeout(child, 30, TimeUnit.SECONDS).join();
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : this.background.reversed()) {
            for (ProcessHandle child : process.descendants().toList()) {
                child.destroyForcibly();
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What a finished command printed and how it ended. */
    record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + this.exitCode + "\n--- stdout\n" + this.out + "--- stderr\n" + this.err;
        }
    }
}
