package io.clawmesh.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Starts the built jars as separate JVMs on random loopback ports and cleans every one of them up. Agents detect their
 * capabilities for real; a test gives an agent a GPU or a skill by putting a fake {@code nvidia-smi} or
 * {@code xcodebuild} first on its PATH.
 */
final class MeshCluster implements AutoCloseable {

    static final String OPERATOR_TOKEN = "e2e-operator-token";

    private final Path workDir;

    private final Path logDir;

    private final List<MeshProcess> processes = new ArrayList<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    MeshCluster(Path workDir) {
        this.workDir = workDir;
        this.logDir = Path.of("target", "e2e-logs");
    }

    MeshProcess startCoordinator(int port) throws IOException {
        return startCoordinator(port, List.of());
    }

    /** A coordinator with extra arguments, for example the {@code spring.datasource.*} of a PostgreSQL database. */
    MeshProcess startCoordinator(int port, List<String> extraArguments) throws IOException {
        return startCoordinator("coordinator", port, extraArguments);
    }

    /**
     * A named coordinator, one of several replicas on one database: its data directory and log file carry its name.
     */
    MeshProcess startCoordinator(String name, int port, List<String> extraArguments) throws IOException {
        return startCoordinator(List.of(), name, port, extraArguments);
    }

    /**
     * A named coordinator inside a network namespace the caller created ({@code ip netns exec}); {@code extraArguments}
     * name an address of the namespace to listen on ({@code --server.address}) and a database it can reach from there.
     * Awaited from the host, which must reach that address.
     */
    MeshProcess startCoordinatorInNamespace(String namespace, String name, int port, List<String> extraArguments)
            throws IOException {
        return startCoordinator(List.of("ip", "netns", "exec", namespace), name, port, extraArguments);
    }

    private MeshProcess startCoordinator(List<String> prefix, String name, int port, List<String> extraArguments)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                java(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar("coordinator.jar"),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--mesh.data-dir=" + this.workDir.resolve(name),
                "--mesh.security.token=" + OPERATOR_TOKEN,
                "--mesh.security.allow-private=true",
                "--mesh.health.heartbeat-timeout=4s",
                "--mesh.health.sweep-interval=500ms",
                "--mesh.health.probe-interval=1s",
                "--mesh.health.probe-tick=250ms",
                "--mesh.forwarding.cooldown=5s",
                "--mesh.forwarding.shutdown-grace=5s",
                // seed sync serves these; never the OpenClaw setup of the user running the tests
                "--mesh.openclaw-config=" + coordinatorOpenClawDir().resolve("openclaw.json"),
                "--mesh.workspace-dir=" + coordinatorOpenClawDir().resolve("workspace")));
        command.removeIf((argument) -> (argument.startsWith("--mesh.") || argument.startsWith("--server.address="))
                && extraArguments.stream()
                        .anyMatch((extra) -> extra.startsWith(argument.substring(0, argument.indexOf('=') + 1))));
        command.addAll(extraArguments);
        String host = extraArguments.stream()
                .filter((argument) -> argument.startsWith("--server.address="))
                .map((argument) -> argument.substring("--server.address=".length()))
                .findFirst()
                .orElse("127.0.0.1");
        MeshProcess process =
                track(new MeshProcess(name, command, this.logDir.resolve(name + ".log"), port, host).start());
        if (extraArguments.contains("--mesh.tls.enabled=true")) {
            // it serves HTTPS with a CA it makes on start: the caller awaits it, trusting that CA
            return process;
        }
        awaitHttpOk(process, process.baseUrl() + "/actuator/health");
        return process;
    }

    /**
     * A coordinator configured by a Spring configuration file of the caller's (for example the one the Helm chart
     * renders into its ConfigMap) plus environment variables, as a container would start it; ready once
     * {@code readinessUrl} answers 200.
     */
    MeshProcess startConfiguredCoordinator(int port, Path config, Map<String, String> environment, String readinessUrl)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("env"));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of(
                java(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar("coordinator.jar"),
                "--spring.config.additional-location=optional:file:" + config,
                "--server.address=127.0.0.1",
                "--management.server.address=127.0.0.1",
                "--mesh.data-dir=" + this.workDir.resolve("coordinator-configured"),
                "--mesh.openclaw-config=" + coordinatorOpenClawDir().resolve("openclaw.json"),
                "--mesh.workspace-dir=" + coordinatorOpenClawDir().resolve("workspace")));
        MeshProcess process =
                track(new MeshProcess("coordinator", command, this.logDir.resolve("coordinator-configured.log"), port)
                        .start());
        awaitHttpOk(process, readinessUrl);
        return process;
    }

    MeshProcess startAgent(String name, int port, int coordinatorPort, String tags, Map<String, String> fakeTools)
            throws IOException {
        return startAgent(name, port, coordinatorPort, tags, fakeTools, List.of());
    }

    /** An agent with extra command-line arguments, for example the {@code --mesh.agent.runtime} flags. */
    MeshProcess startAgent(
            String name,
            int port,
            int coordinatorPort,
            String tags,
            Map<String, String> fakeTools,
            List<String> extraArgs)
            throws IOException {
        return startAgent(List.of(), name, port, coordinatorPort, tags, fakeTools, extraArgs);
    }

    /**
     * An agent inside a network namespace the caller created ({@code ip netns exec}); {@code extraArgs} name the
     * coordinator URL it can reach from there. Not awaited: the host may not reach the agent's port.
     */
    MeshProcess startAgentInNamespace(String namespace, String name, int port, List<String> extraArgs)
            throws IOException {
        return startAgent(List.of("ip", "netns", "exec", namespace), name, port, 0, "", Map.of(), extraArgs);
    }

    private MeshProcess startAgent(
            List<String> prefix,
            String name,
            int port,
            int coordinatorPort,
            String tags,
            Map<String, String> fakeTools,
            List<String> extraArgs)
            throws IOException {
        Path pathDir = Files.createDirectories(this.workDir.resolve("bin-" + name));
        for (Map.Entry<String, String> tool : fakeTools.entrySet()) {
            Path script = pathDir.resolve(tool.getKey());
            Files.writeString(script, "#!/bin/sh\n" + tool.getValue() + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                "env",
                "PATH=" + pathDir + ":" + System.getenv("PATH"),
                // seed sync writes here; never into the OpenClaw setup of the user running the tests
                "OPENCLAW_CONFIG_PATH=" + agentOpenClawDir(name).resolve("openclaw.json"),
                "OPENCLAW_WORKSPACE_DIR=" + agentOpenClawDir(name).resolve("workspace"),
                java(),
                // The flags the README recommends for agents, Spring AOT included, so CI runs that path.
                "-Dspring.aot.enabled=true",
                "-XX:+UseSerialGC",
                "-Xms8m",
                "-Xmx48m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                jar("agent.jar"),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--mesh.agent.coordinator-url=http://127.0.0.1:" + coordinatorPort,
                "--mesh.agent.token=" + OPERATOR_TOKEN,
                "--mesh.agent.name=" + name,
                "--mesh.agent.tags=" + tags,
                "--mesh.agent.endpoint=127.0.0.1:" + port,
                "--mesh.agent.data-dir=" + this.workDir.resolve("agent-" + name),
                "--mesh.agent.heartbeat-interval=1s",
                "--mesh.agent.register-backoff-max=2s",
                "--mesh.agent.capacity=8",
                "--mesh.agent.shutdown-grace=5s"));
        // an extra argument replaces the default of the same property (Spring would join both into one value)
        command.removeIf((argument) -> (argument.startsWith("--mesh.agent.")
                        || argument.startsWith("--server.address="))
                && extraArgs.stream()
                        .anyMatch((extra) -> extra.startsWith(argument.substring(0, argument.indexOf('=') + 1))));
        command.addAll(extraArgs);
        // awaited, and reached by tests, where it listens
        String host = extraArgs.stream()
                .filter((argument) -> argument.startsWith("--server.address="))
                .map((argument) -> argument.substring("--server.address=".length()))
                .findFirst()
                .orElse("127.0.0.1");
        MeshProcess process = track(
                new MeshProcess(name, command, this.logDir.resolve("agent-" + name + ".log"), port, host).start());
        if (extraArgs.contains("--mesh.agent.connect=outbound")
                || !prefix.isEmpty()
                || (extraArgs.stream()
                                .anyMatch((argument) -> argument.startsWith("--mesh.agent.coordinator-url=https:"))
                        && !extraArgs.contains("--mesh.agent.mutual-tls=off"))) {
            // an outbound agent opens no port, one of an https coordinator speaks mutual TLS on it (unless turned off):
            // the caller waits for its node through the coordinator
            return process;
        }
        awaitHttpOk(process, process.baseUrl() + "/healthz");
        return process;
    }

    /** Every process started so far, for tests that kill one. */
    List<MeshProcess> processes() {
        return List.copyOf(this.processes);
    }

    /** The OpenClaw config and workspace the coordinator shares by seed sync. */
    Path coordinatorOpenClawDir() {
        return this.workDir.resolve("coordinator-openclaw");
    }

    /** The OpenClaw config and workspace an agent's seed sync writes into. */
    Path agentOpenClawDir(String agentName) {
        return this.workDir.resolve("agent-" + agentName + "-openclaw");
    }

    /** The agent's persisted identity file, to tell whether it registered anew. */
    Path identityFile(String agentName) {
        return this.workDir.resolve("agent-" + agentName).resolve("node.json");
    }

    void awaitHttpOk(MeshProcess process, String url) {
        try {
            Awaitility.await(process.name() + " answering " + url)
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(process.name() + " exited:\n" + process.logTail());
                        }
                        return status(url) == 200;
                    });
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    ex.getMessage() + "\n--- " + process.name() + " log ---\n" + process.logTail(), ex);
        }
    }

    private int status(String url) {
        try {
            return this.http
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private MeshProcess track(MeshProcess process) {
        this.processes.add(process);
        return process;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String jar(String property) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("the " + property
                    + " system property must name the built jar (run through ./mvnw verify), got " + path);
        }
        return path;
    }

    String logs() {
        StringBuilder logs = new StringBuilder();
        for (MeshProcess process : this.processes) {
            logs.append("\n--- ").append(process.name()).append(" ---\n").append(process.logTail());
        }
        return logs.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (MeshProcess process : this.processes) {
            process.kill();
        }
    }
}
