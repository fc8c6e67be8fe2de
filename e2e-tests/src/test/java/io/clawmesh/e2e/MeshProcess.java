package io.clawmesh.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One started coordinator or agent JVM, with its log file; stopping it gently (SIGTERM) or killing it (SIGKILL). */
final class MeshProcess implements AutoCloseable {

    private final String name;

    private final List<String> command;

    private final Path log;

    private final int port;

    private final String host;

    private Process process;

    MeshProcess(String name, List<String> command, Path log, int port) {
        this(name, command, log, port, "127.0.0.1");
    }

    /** A process that listens on {@code host} instead of loopback (an address of a veth pair a test created). */
    MeshProcess(String name, List<String> command, Path log, int port, String host) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.port = port;
        this.host = host;
    }

    MeshProcess start() throws IOException {
        Files.createDirectories(this.log.getParent());
        this.process = new ProcessBuilder(this.command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
                .start();
        return this;
    }

    String name() {
        return this.name;
    }

    int port() {
        return this.port;
    }

    String baseUrl() {
        return "http://" + this.host + ":" + this.port;
    }

    boolean isAlive() {
        return this.process != null && this.process.isAlive();
    }

    /** SIGTERM and wait: the application shuts down gracefully. */
    void stop() throws InterruptedException {
        if (isAlive()) {
            this.process.destroy();
            if (!this.process.waitFor(40, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGKILL: the process dies without any goodbye, as in a crash or power loss. */
    void kill() throws InterruptedException {
        if (isAlive()) {
            this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Whether the log holds {@code text} so far. */
    boolean logContains(String text) {
        try {
            return Files.readString(this.log).contains(text);
        } catch (IOException ex) {
            return false;
        }
    }

    /** The last lines of the log, to explain a failure. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(this.log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
