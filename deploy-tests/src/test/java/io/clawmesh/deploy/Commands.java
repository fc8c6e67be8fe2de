package io.clawmesh.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (helm, docker-compose) with a bounded wait and collects its exit code and output. */
final class Commands {

    /** What a command answered: its exit code, standard output and standard error. */
    record Result(int exitCode, String out, String err) {}

    private Commands() {}

    /** An executable found on the PATH, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Result run(Path workDir, List<String> command) {
        return run(workDir, command, List.of());
    }

    /** Runs a command without the named environment variables, so the caller's shell cannot answer for the test. */
    static Result run(Path workDir, List<String> command, List<String> unset) {
        return run(workDir, command, unset, Map.of());
    }

    /** Runs a command without the named environment variables and with the given ones set. */
    static Result run(Path workDir, List<String> command, List<String> unset, Map<String, String> set) {
        try {
            Path out = Files.createTempFile("deploy-test", ".out");
            Path err = Files.createTempFile("deploy-test", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                unset.forEach(builder.environment()::remove);
                builder.environment().putAll(set);
                Process process = builder.directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within 120 s");
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
