package io.clawmesh.agent.runtime.install;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime gateway the agent started: its process with output going to a log file in the data dir. Closing it stops
 * the gateway (SIGTERM, then SIGKILL after 10 s), because the agent supervises what it started.
 */
public final class RuntimeProcess implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(RuntimeProcess.class);

    private final String name;

    private final Process process;

    private final Path log;

    private RuntimeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} (output appended to {@code log}) and waits until {@code health} answers 200.
     *
     * @throws InstallFailedException when it cannot start, exits, or is not healthy within {@code timeout}; the
     *     process is stopped and the message ends with the command to run by hand
     */
    static RuntimeProcess startHealthy(
            String name,
            List<String> command,
            Map<String, String> env,
            Path log,
            URI health,
            Duration timeout,
            HttpClient http,
            Clock clock) {
        String byHand = String.join(" ", command);
        RuntimeProcess process;
        try {
            process = start(name, command, env, log);
        } catch (IOException ex) {
            throw new InstallFailedException("cannot start " + command.get(0) + ": " + ex.getMessage(), byHand, ex);
        }
        String problem = process.awaitHealthy(health, timeout, http, clock);
        if (problem != null) {
            process.close();
            throw new InstallFailedException(problem, byHand);
        }
        return process;
    }

    private static RuntimeProcess start(String name, List<String> command, Map<String, String> env, Path log)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        logger.info("Starting {}: {} (output in {})", name, String.join(" ", command), log);
        return new RuntimeProcess(name, builder.start(), log);
    }

    /**
     * Waits until {@code health} answers 200, the process exits, or {@code timeout} passes.
     *
     * @return {@code null} when healthy, else why not
     */
    private @Nullable String awaitHealthy(URI health, Duration timeout, HttpClient http, Clock clock) {
        Instant until = clock.instant().plus(timeout);
        logger.info("Waiting up to {} s for {} to answer {}", timeout.toSeconds(), this.name, health);
        while (clock.instant().isBefore(until)) {
            if (!this.process.isAlive()) {
                return this.name + " exited with code " + this.process.exitValue() + " before it was healthy; "
                        + "last output:\n" + logTail();
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(health)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    logger.info("{} is up: {} answered 200", this.name, health);
                    return null;
                }
            } catch (IOException ex) {
                // not listening yet
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for " + this.name;
            }
            try {
                this.process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for " + this.name;
            }
        }
        return this.name + " did not answer " + health + " within " + timeout.toSeconds() + " s; last output:\n"
                + logTail();
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(this.log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException ex) {
            return "(no output)";
        }
    }

    @Override
    public void close() {
        if (!this.process.isAlive()) {
            return;
        }
        logger.info("Stopping {} (pid {}), which this agent started", this.name, this.process.pid());
        // children (OpenClaw runs worker processes) would be orphaned if the gateway died without reaping them
        List<ProcessHandle> children = this.process.descendants().toList();
        this.process.destroy();
        try {
            if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return this.name + " (pid " + this.process.pid() + ")";
    }
}
