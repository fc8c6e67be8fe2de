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

/**
 * Runs the programs an install needs ({@code node}, {@code npm}) with a time limit, found on a given PATH, with a
 * cleaned environment: the agent's tokens never reach them.
 */
public class Commands {

    /** What a finished command left: its exit code ({@code -1} when it could not run or overran) and its output. */
    public record Result(int exitCode, String output) {

        public boolean succeeded() {
            return this.exitCode == 0;
        }
    }

    /** What npm and Node.js read besides the base allow-list: npm's own settings. */
    private static final List<String> NPM = List.of("npm_config_*", "NPM_CONFIG_*");

    private final Map<String, String> env;

    private final RuntimeEnvironment runtimeEnvironment;

    /** Commands found on {@code env}'s PATH; what they run with is cleaned (see {@link RuntimeEnvironment}). */
    public Commands(Map<String, String> env) {
        this(env, List.of());
    }

    /** As {@link #Commands(Map)}, letting {@code passThrough} variables through to the processes too. */
    public Commands(Map<String, String> env, List<String> passThrough) {
        this.env = env;
        this.runtimeEnvironment = new RuntimeEnvironment(env, passThrough);
    }

    /** The agent's own environment, to look things up in (PATH, config locations); never handed to a process. */
    public Map<String, String> env() {
        return this.env;
    }

    /** The cleaned environment of a started runtime: the allow-list, its namespace {@code own}, then {@code explicit}. */
    public Map<String, String> runtimeEnv(List<String> own, Map<String, String> explicit) {
        return this.runtimeEnvironment.forProcess(own, explicit);
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
        builder.environment().putAll(runtimeEnv(NPM, (extraEnv != null) ? extraEnv : Map.of()));
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
