package io.clawmesh.agent.runtime.install;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs the programs an install needs ({@code node}, {@code npm}) with a time limit, found on a given PATH. */
public class Commands {

    /** What a finished command left: its exit code ({@code -1} when it could not run or overran) and its output. */
    public record Result(int exitCode, String output) {

        public boolean succeeded() {
            return this.exitCode == 0;
        }
    }

    private final Map<String, String> env;

    public Commands(Map<String, String> env) {
        this.env = env;
    }

    /** The environment commands run with. */
    public Map<String, String> env() {
        return this.env;
    }

    /** The executable {@code name} on this environment's PATH. */
    public Optional<Path> which(String name) {
        String path = this.env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command} and waits at most {@code timeout}; output is stdout and stderr together. */
    public Result run(List<String> command, Duration timeout, @Nullable Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(this.env);
        if (extraEnv != null) {
            builder.environment().putAll(extraEnv);
        }
        try {
            Process process = builder.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException ex) {
                            return "";
                        }
                    },
                    Thread.ofVirtual()::start);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output.join());
        } catch (IOException ex) {
            return new Result(-1, ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
