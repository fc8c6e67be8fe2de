package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a local user can see of a mesh started with the real {@code claw-mesh} script of the distribution: no secret on
 * the command line of any java process that {@code up} or {@code join} starts (read from {@code /proc/<pid>/cmdline},
 * as {@code ps} does), the data dirs owner-only, and both commands ending with 0 on SIGTERM (issue 18), while the
 * tokens and the API key still work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherSecurityEndToEndTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String operatorToken = secret("operator");

    private final String joinToken = secret("join");

    private final String gatewayToken = secret("gateway");

    private final String apiKey = secret("api-key");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> modelAuthorizations = new CopyOnWriteArrayList<>();

    private Path work;

    private Launcher launcher;

    private HttpServer model;

    private int port;

    private Process up;

    private Process join;

    @BeforeAll
    void unpackTheDistribution() throws Exception {
        this.work = Files.createTempDirectory("claw-mesh-launcher-e2e");
        Path logs = Files.createDirectories(Path.of("target", "e2e-logs", "launcher"));
        Path tarball = Path.of(System.getProperty("distribution.tarball", "missing"));
        assertThat(tarball)
                .as("distribution.tarball (run through ./mvnw verify)")
                .isRegularFile();
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", this.work.toString())
                .inheritIO()
                .start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0)
                .as("tar xzf")
                .isTrue();
        Path script;
        try (Stream<Path> dirs = Files.list(this.work)) {
            script = dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin/claw-mesh");
        }
        // No AOT cache here: its training runs detached and would outlive the test (LauncherAotCacheEndToEndTests
        // covers the cache).
        this.launcher = new Launcher(script, Files.createDirectories(this.work.resolve("home")), logs)
                .env("CLAW_MESH_AOT", "off");
        // both apps on loopback only (the agent takes server.address as its listen address)
        this.launcher.env("SERVER_ADDRESS", "127.0.0.1");
        this.port = MeshCluster.freePort();
        this.model = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        this.model.createContext("/v1/chat/completions", (exchange) -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                this.modelAuthorizations.add(
                        String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] body = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"model says hi\"}}]}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        this.model.start();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.launcher != null) {
            this.launcher.close();
        }
        if (this.model != null) {
            this.model.stop(0);
        }
        if (this.work != null) {
            try (Stream<Path> paths = Files.walk(this.work)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void upWhenGivenTokensShouldKeepThemOffEveryJavaCommandLine() throws Exception {
        this.up = this.launcher.start(
                "up",
                "up",
                "--port",
                String.valueOf(this.port),
                "--local-port",
                String.valueOf(MeshCluster.freePort()),
                "--token",
                this.operatorToken,
                "--join-token",
                this.joinToken,
                "--data-dir",
                this.work.resolve("data").toString());
        // the local node registered with the join token, and the operator token reads the node list
        awaitNodesOnline(1, this.up, "up");

        List<String> commandLines = javaCommandLines(this.up);
        assertThat(commandLines).as("the coordinator and the local agent").hasSize(2);
        assertThat(commandLines)
                .allSatisfy((line) ->
                        assertThat(line).doesNotContain(this.operatorToken).doesNotContain(this.joinToken));
        assertThat(status(apiGet("/api/v1/nodes", "not-the-operator-token"))).isEqualTo(401);
        assertThat(status(apiGet("/api/v1/nodes", this.joinToken))).isEqualTo(403);
    }

    @Test
    @Order(2)
    void upShouldCreateItsDataDirAndEveryFileInItOwnerOnly() throws Exception {
        Path data = this.work.resolve("data");
        assertThat(data.resolve("coordinator.mv.db")).isRegularFile();
        // the agent stores its identity right after the coordinator has listed it
        Awaitility.await("the local node's identity stored")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Files.isRegularFile(data.resolve("agent-local/node.json")));

        assertOwnerOnly(data);
    }

    @Test
    @Order(3)
    void joinWhenGivenSecretsShouldKeepThemOffTheJavaCommandLine() throws Exception {
        int agentPort = MeshCluster.freePort();
        Path agentData = this.work.resolve("agent-secret");
        this.join = this.launcher.start(
                "join",
                "join",
                "http://127.0.0.1:" + this.port,
                "--name",
                "secret-node",
                "--listen",
                "127.0.0.1:" + agentPort,
                "--endpoint",
                "127.0.0.1:" + agentPort,
                "--token",
                this.joinToken,
                "--gateway-token",
                this.gatewayToken,
                "--runtime",
                "openai",
                "--api-base",
                "http://127.0.0.1:" + this.model.getAddress().getPort() + "/v1",
                "--api-model",
                "fake-model",
                "--api-key",
                this.apiKey,
                "--no-sync-config",
                "--data-dir",
                agentData.toString());
        awaitNodesOnline(2, this.join, "join");

        List<String> commandLines = javaCommandLines(this.join);
        assertThat(commandLines).as("the agent").hasSize(1);
        assertThat(commandLines.getFirst())
                .contains("--mesh.agent.name=secret-node")
                .doesNotContain(this.joinToken)
                .doesNotContain(this.gatewayToken)
                .doesNotContain(this.apiKey);
        // the API key still reaches the model: a message routed to the node is answered with it
        HttpResponse<String> routed = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/route/secret-node"))
                        .header("Authorization", "Bearer " + this.operatorToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"hello\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
        assertThat(routed.body()).contains("model says hi");
        assertThat(this.modelAuthorizations).containsExactly("Bearer " + this.apiKey);
        assertOwnerOnly(agentData);
    }

    @Test
    @Order(4)
    void joinWhenGivenATokenFileShouldRegisterWithItAndKeepItOffEveryCommandLine() throws Exception {
        Path tokenFile = this.work.resolve("join-token");
        Files.writeString(tokenFile, this.joinToken + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        int agentPort = MeshCluster.freePort();

        Process fromFile = this.launcher.start(
                "join-file",
                "join",
                "http://127.0.0.1:" + this.port,
                "--name",
                "file-node",
                "--listen",
                "127.0.0.1:" + agentPort,
                "--endpoint",
                "127.0.0.1:" + agentPort,
                "--token-file",
                tokenFile.toString(),
                "--no-gateway",
                "--no-sync-config",
                "--data-dir",
                this.work.resolve("agent-file").toString());
        awaitNodesOnline(3, fromFile, "join-file");

        assertThat(fromFile.info().arguments().map(List::of).orElseThrow()).doesNotContain(this.joinToken);
        assertThat(javaCommandLines(fromFile)).singleElement().asString().doesNotContain(this.joinToken);
        Launcher.stop(fromFile);
        assertThat(fromFile.exitValue()).as(this.launcher.log("join-file")).isZero();

        Launcher.Result missing = this.launcher.run(
                "join",
                "http://127.0.0.1:" + this.port,
                "--token-file",
                this.work.resolve("no-such-file").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the token file").contains("no-such-file");
    }

    @Test
    @Order(5)
    void joinWhenStoppedWithSigtermShouldExitWithZero() throws Exception {
        assertThat(this.join).as("join was started").isNotNull();
        List<ProcessHandle> agents = javaProcesses(this.join);

        Launcher.stop(this.join);

        assertThat(this.join.exitValue()).as(this.launcher.log("join")).isZero();
        assertThat(agents).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    @Order(6)
    void upWhenStoppedWithSigtermShouldStopBothAndExitWithZero() throws Exception {
        assertThat(this.up).as("up was started").isNotNull();
        List<ProcessHandle> javas = javaProcesses(this.up);

        Launcher.stop(this.up);

        assertThat(this.up.exitValue()).as(this.launcher.log("up")).isZero();
        assertThat(javas).hasSize(2).noneMatch(ProcessHandle::isAlive);
    }

    private void awaitNodesOnline(int count, Process process, String log) {
        Awaitility.await(count + " nodes registered and live")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("claw-mesh " + log + " ended: " + this.launcher.log(log), () -> !process.isAlive())
                .until(() -> {
                    try {
                        HttpResponse<String> nodes = apiGet("/api/v1/nodes", this.operatorToken);
                        // registered (the token was accepted) and heartbeating; a node without a runtime is degraded
                        return nodes.statusCode() == 200
                                && JSON.readTree(nodes.body())
                                                .valueStream()
                                                .filter((node) -> !"offline"
                                                        .equals(node.path("status")
                                                                .asString()))
                                                .count()
                                        == count;
                    } catch (IOException ex) {
                        return false;
                    }
                });
    }

    private HttpResponse<String> apiGet(String path, String token) throws IOException, InterruptedException {
        return this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HttpResponse<?> response) {
        return response.statusCode();
    }

    /** Every java process the launcher started, as {@code ps} shows it: the arguments joined by spaces. */
    private static List<String> javaCommandLines(Process launcher) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (ProcessHandle java : javaProcesses(launcher)) {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(java.pid()), "cmdline"));
            lines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
        }
        return lines;
    }

    private static List<ProcessHandle> javaProcesses(Process launcher) {
        // the launcher itself when it execs java, and every java process below it
        return Stream.concat(Stream.of(launcher.toHandle()), launcher.descendants())
                .filter((handle) -> handle.info()
                        .command()
                        .map((command) -> command.endsWith("/java"))
                        .orElse(false))
                .toList();
    }

    private static void assertOwnerOnly(Path dir) throws IOException {
        Map<Path, String> modes;
        try (Stream<Path> paths = Files.walk(dir)) {
            modes = paths.collect(java.util.stream.Collectors.toMap((path) -> path, (path) -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }));
        }
        assertThat(modes)
                .isNotEmpty()
                .allSatisfy((path, mode) -> assertThat(mode)
                        .as(path.toString())
                        .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
    }

    private static String secret(String kind) {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return kind + "-" + HexFormat.of().formatHex(bytes);
    }
}
