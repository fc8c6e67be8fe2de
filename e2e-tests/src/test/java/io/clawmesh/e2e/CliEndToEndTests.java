package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code claw-mesh} command as a user meets it: the distribution archive unpacked, {@code init}, {@code up}, two
 * {@code join}s and every CLI verb run as real processes on random loopback ports, with their output and exit codes
 * checked, and the interactive shell driven through tmux.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTests {

    private static final Pattern RULE_ID = Pattern.compile("added rule (rule-[0-9a-f]+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path work;

    private Launcher launcher;

    private int port;

    private String token;

    private Process up;

    @BeforeAll
    void unpackTheDistributionAndInit() throws Exception {
        this.work = Files.createTempDirectory("claw-mesh-cli-e2e");
        Path logs = Files.createDirectories(Path.of("target", "e2e-logs", "cli"));
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
        try (var dirs = Files.list(this.work)) {
            script = dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin/claw-mesh");
        }
        // No AOT cache here: its training runs detached and would outlive the test (LauncherAotCacheEndToEndTests
        // covers the cache).
        this.launcher = new Launcher(script, Files.createDirectories(this.work.resolve("home")), logs)
                .env("CLAW_MESH_AOT", "off");
        this.port = MeshCluster.freePort();
        this.launcher.env("CLAW_MESH_COORDINATOR", "http://127.0.0.1:" + this.port);

        // claw-mesh init: a commented file with a random token, private
        Launcher.Result init = this.launcher.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        Path config = this.launcher.home().resolve(".claw-mesh/claw-mesh.yaml");
        assertThat(init.out()).startsWith("wrote " + config + " (mode 0600) with a new random operator token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        Matcher token = Pattern.compile("token: \"([A-Za-z0-9_-]{43})\"").matcher(Files.readString(config));
        assertThat(token.find()).isTrue();
        this.token = token.group(1);
        // a second init refuses to overwrite it
        Launcher.Result again = this.launcher.run("init");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("exists").contains("--force");
        // keep the coordinator on loopback: Spring sections pass through the Go-layout file
        Files.writeString(config, Files.readString(config) + "\nserver:\n  address: 127.0.0.1\n");

        // a short token rotation overlap, so that the rotation test sees the old token expire
        this.launcher.env("MESH_SECURITY_ROTATION_OVERLAP", "30s");
        this.up = this.launcher.start(
                "up",
                "up",
                "--port",
                String.valueOf(this.port),
                "--no-local",
                "--allow-private",
                "--data-dir",
                this.work.resolve("data").toString());
        awaitHealthy();
        this.launcher.start("join-alpha", join("alpha", "gpu,eu"));
        this.launcher.start("join-beta", join("beta", "docker"));
        Awaitility.await("two nodes online")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String nodes = apiGet("/api/v1/nodes");
                    return nodes.contains("\"alpha\"")
                            && nodes.contains("\"beta\"")
                            && nodes.split("\"online\"", -1).length == 3;
                });
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.launcher != null) {
            this.launcher.close();
        }
        if (this.work != null) {
            try (var paths = Files.walk(this.work)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void statusAndNodesShouldDescribeTheMesh() throws Exception {
        Launcher.Result status = this.launcher.run("status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("2 nodes: 2 online");

        Launcher.Result nodes = this.launcher.run("nodes");
        assertThat(nodes.exitCode()).as(nodes.toString()).isZero();
        List<String> lines = nodes.out().lines().toList();
        assertThat(lines.get(0))
                .startsWith("NAME")
                .contains("STATUS")
                .contains("OS/ARCH")
                .endsWith("LAST SEEN");
        assertThat(lines.get(1))
                .startsWith("alpha ")
                .contains("online")
                .contains("echo")
                .contains("gpu,eu")
                .contains("s ago");
        assertThat(lines.get(2)).startsWith("beta ").contains("docker");

        Launcher.Result json = this.launcher.run("nodes", "--output", "json");
        assertThat(json.out()).contains("\"name\" : \"alpha\"").contains("\"last_heartbeat\"");
    }

    @Test
    @Order(2)
    void sendShouldRouteAutomaticallyAndToANamedNode() throws Exception {
        Launcher.Result auto = this.launcher.run("send", "--auto", "hello mesh");
        assertThat(auto.exitCode()).as(auto.toString()).isZero();
        assertThat(auto.out())
                .matches(
                        "(?s)routed to node (alpha|beta) \\(node-[0-9a-f]+\\)\nResponse: \\[claw-mesh echo] hello mesh\n");

        Launcher.Result toBeta = this.launcher.run("send", "--node", "beta", "hi beta");
        assertThat(toBeta.exitCode()).as(toBeta.toString()).isZero();
        assertThat(toBeta.out())
                .startsWith("routed to node beta (node-")
                .contains("Response: [claw-mesh echo] hi beta");

        Launcher.Result unknown = this.launcher.run("send", "--node", "gamma", "anyone?");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("claw-mesh: ").contains("gamma").hasLineCount(1);
    }

    @Test
    @Order(3)
    void routeAddListRemoveShouldManageRules() throws Exception {
        Launcher.Result add = this.launcher.run("route", "add", "--match", "os:linux", "--target", "alpha");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        Matcher id = RULE_ID.matcher(add.out());
        assertThat(id.find()).as(add.out()).isTrue();
        assertThat(add.out()).contains("os:linux -> alpha (least-busy)");

        Launcher.Result list = this.launcher.run("route", "list");
        assertThat(list.out().lines().toList())
                .hasSize(2)
                .last()
                .asString()
                .matches("0  " + id.group(1) + "  os:linux  alpha   least-busy");

        Launcher.Result routed = this.launcher.run("send", "--auto", "by the rule");
        assertThat(routed.out()).startsWith("routed to node alpha (");

        Launcher.Result remove = this.launcher.run("route", "remove", id.group(1));
        assertThat(remove.exitCode()).as(remove.toString()).isZero();
        assertThat(remove.out()).isEqualTo("removed rule " + id.group(1) + "\n");
        assertThat(this.launcher.run("route", "list").out()).startsWith("no rules");

        Launcher.Result bad = this.launcher.run("route", "add", "--match", "gpu");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("is not key:value").contains("usage: claw-mesh route add");
    }

    @Test
    @Order(4)
    void watchShouldPrintABoundedNumberOfEvents() throws Exception {
        Launcher.Result watch = this.launcher.run("watch", "--since", "0", "--count", "3");

        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        List<String> lines = watch.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines)
                .anySatisfy(
                        (line) -> assertThat(line).contains("node.registered").contains("alpha"));
        assertThat(lines).allSatisfy((line) -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d  [a-z_.]+ .*"));
    }

    @Test
    @Order(5)
    void errorsShouldBeOneLineWithTheRightExitCode() throws Exception {
        Launcher.Result unreachable =
                this.launcher.run("status", "--coordinator", "http://127.0.0.1:" + MeshCluster.freePort());
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(unreachable.err())
                .contains("cannot reach the coordinator at http://127.0.0.1:")
                .hasLineCount(1);

        Launcher.Result wrongToken = this.launcher.run("nodes", "--token", "not-the-token");
        assertThat(wrongToken.exitCode()).isEqualTo(3);
        assertThat(wrongToken.err()).contains("refused the operator token from --token (401)");

        Launcher.Result badFlag = this.launcher.run("nodes", "--colour");
        assertThat(badFlag.exitCode()).isEqualTo(2);
        assertThat(badFlag.err())
                .startsWith("claw-mesh: unknown flag --colour for 'nodes'")
                .contains("usage: claw-mesh nodes");

        Launcher.Result version = this.launcher.run("version");
        assertThat(version.out()).startsWith("claw-mesh CLI ").contains(":" + this.port + ": ");
    }

    @Test
    @Order(6)
    void tokenRotateAndAuditShouldWorkAgainstTheRealCoordinator() throws Exception {
        String old = this.token;
        Launcher.Result audit = this.launcher.run("audit", "--action", "rule.create");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        assertThat(audit.out()).contains("rule.create").contains("operator:").contains("success");

        Launcher.Result rotate = this.launcher.run("token", "rotate");
        assertThat(rotate.exitCode()).as(rotate.toString()).isZero();
        Matcher fresh = Pattern.compile("new operator token \\(shown this once\\): (cmo_[A-Za-z0-9_-]{43})")
                .matcher(rotate.out());
        assertThat(fresh.find()).as(rotate.out()).isTrue();
        assertThat(rotate.out()).contains("coordinator.token in");

        // the new token at once, the old one inside the overlap window (30 s here: the two runs below must fit into it
        // at load 10-15, where one CLI run takes several seconds)
        assertThat(this.launcher.run("nodes", "--token", fresh.group(1)).exitCode())
                .isZero();
        assertThat(this.launcher.run("nodes").exitCode()).isZero();
        Launcher.Result again = this.launcher.run("token", "rotate");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("only the current operator token may rotate");

        // what the CLI said to do: put the new token into the config file
        Path config = this.launcher.home().resolve(".claw-mesh/claw-mesh.yaml");
        Files.writeString(config, Files.readString(config).replace(old, fresh.group(1)));
        this.token = fresh.group(1);

        Launcher.Result rotations = this.launcher.run("audit", "--action", "token.rotate", "--output", "json");
        assertThat(rotations.exitCode()).as(rotations.toString()).isZero();
        assertThat(rotations.out()).contains("\"token.rotate\"").doesNotContain(fresh.group(1));

        Awaitility.await("the old token expires")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> this.launcher.run("nodes", "--token", old).exitCode() == 3);
        assertThat(this.launcher.run("nodes").exitCode()).isZero();
    }

    @Test
    @Order(7)
    void interactiveShellShouldListNodesAndExitThroughTmux() throws Exception {
        if (!hasTmux()) {
            System.out.println(
                    "CliEndToEndTests: tmux is not installed, so the interactive shell is not driven in this run");
        }
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed: the interactive shell is not driven in this run");
        String socket = this.work.resolve("tmux.sock").toString();
        StringBuilder env = new StringBuilder();
        this.launcher
                .environment()
                .forEach((k, v) -> env.append(k).append("='").append(v).append("' "));
        String shell = "env " + env + "sh " + this.launcher.script() + "; echo SHELL-EXIT=$?; sleep 60";
        try {
            tmux(socket, "new-session", "-d", "-s", "cli", "-x", "220", "-y", "50", shell);
            awaitPane(socket, "claw-mesh:>");
            tmux(socket, "send-keys", "-t", "cli", "nodes", "Enter");
            String screen = awaitPane(socket, "beta ");
            assertThat(screen).contains("NAME").contains("alpha ").contains("LAST SEEN");
            // TAB completes node names from the coordinator
            tmux(socket, "send-keys", "-t", "cli", "node show al", "Tab");
            awaitPane(socket, "node show alpha");
            tmux(socket, "send-keys", "-t", "cli", "Enter");
            assertThat(awaitPane(socket, "skills:")).contains("name:       alpha");
            tmux(socket, "send-keys", "-t", "cli", "exit", "Enter");
            assertThat(awaitPane(socket, "SHELL-EXIT=")).contains("SHELL-EXIT=0");
        } finally {
            new ProcessBuilder("tmux", "-S", socket, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(8)
    void upShouldStopItsCoordinatorWhenItStops() throws Exception {
        List<ProcessHandle> children = this.up.descendants().toList();
        assertThat(children).isNotEmpty();
        Launcher.stop(this.up);
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        Launcher.Result after = this.launcher.run("status");
        assertThat(after.exitCode()).isEqualTo(3);
    }

    private String[] join(String name, String tags) throws IOException {
        int agentPort = MeshCluster.freePort();
        return new String[] {
            "join",
            "http://127.0.0.1:" + this.port,
            "--name",
            name,
            "--tags",
            tags,
            "--listen",
            "127.0.0.1:" + agentPort,
            "--endpoint",
            "127.0.0.1:" + agentPort,
            "--no-gateway",
            "--data-dir",
            this.work.resolve("agent-" + name).toString()
        };
    }

    private void awaitHealthy() {
        Awaitility.await("coordinator healthy")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("claw-mesh up ended: " + this.launcher.log("up"), () -> !this.up.isAlive())
                .until(() -> {
                    try {
                        return this.http
                                        .send(
                                                HttpRequest.newBuilder(URI.create(
                                                                "http://127.0.0.1:" + this.port + "/actuator/health"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException ex) {
                        return false;
                    }
                });
    }

    private String apiGet(String path) throws IOException, InterruptedException {
        return this.http
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                                .header("Authorization", "Bearer " + this.token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static boolean hasTmux() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException ex) {
            return false;
        }
    }

    private static String tmux(String socket, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("tmux", "-S", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String awaitPane(String socket, String text) {
        String[] screen = {""};
        Awaitility.await("'" + text + "' on the tmux screen")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    screen[0] = tmux(socket, "capture-pane", "-p", "-t", "cli");
                    return screen[0].contains(text);
                });
        return screen[0];
    }
}
