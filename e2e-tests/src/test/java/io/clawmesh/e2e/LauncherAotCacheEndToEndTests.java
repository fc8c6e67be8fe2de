package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The launcher's AOT cache (issue 18), with the unpacked distribution as a user runs it: the first run trains a cache
 * in the background (the CLI's on a real answer, from a stand-in coordinator) and answers exactly as a run without one;
 * later runs start from it, against a coordinator that answers as well as one that refuses; a corrupt, foreign or
 * unwritable cache changes nothing a user or a script sees (output, {@code --output json}, exit code). Without a
 * {@code claw-mesh.yaml}, {@code up} reads its settings from {@code CLAW_MESH_*} without a CLI JVM. The coordinator
 * starts with Spring AOT when the run's settings are the build's, and without it when a condition reads one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherAotCacheEndToEndTests {

    private static final Duration TRAINING = Duration.ofMinutes(4);

    /** Two nodes as the coordinator lists them; no heartbeat, so the table has no "ago" that changes between runs. */
    private static final String NODES = """
            [{"id":"node-0a1b2c3d4e5f6a7b","name":"e2e-gpu","endpoint":"192.168.1.21:9121",
              "capabilities":{"os":"linux","arch":"amd64","gpu":true,"memory_gb":64,"tags":["gpu"],"skills":[]},
              "status":"online","last_heartbeat":null,"runtime":{"kind":"echo","version":null,"connected":true},
              "inflight":1,"capacity":4,"registered_at":"2026-12-07T12:00:00Z","connect":"inbound"},
             {"id":"node-3f9c2a1b7e6d5c4a","name":"e2e-mac","endpoint":"",
              "capabilities":{"os":"darwin","arch":"arm64","gpu":false,"memory_gb":32,"tags":[],"skills":["docker"]},
              "status":"offline","last_heartbeat":null,"runtime":{"kind":"openclaw","version":"2026.9.6","connected":false},
              "inflight":0,"capacity":2,"registered_at":"2026-12-07T11:00:00Z","connect":"outbound"}]""";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path work;

    private Path script;

    private Path logs;

    private final List<Launcher> launchers = new ArrayList<>();

    private String closedUrl;

    private Launcher.Result baseline;

    @BeforeAll
    void unpackTheDistribution() throws Exception {
        this.work = Files.createTempDirectory("claw-mesh-aot-e2e");
        this.logs = Files.createDirectories(Path.of("target", "e2e-logs", "aot"));
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
        try (Stream<Path> dirs = Files.list(this.work)) {
            this.script =
                    dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin/claw-mesh");
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.closedUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
        this.baseline = launcher("baseline").env("CLAW_MESH_AOT", "off").run(nodesJson());
        assertThat(this.baseline.exitCode()).as(this.baseline.toString()).isEqualTo(3);
    }

    @AfterAll
    void removeEverything() throws Exception {
        for (Launcher launcher : this.launchers) {
            launcher.close();
        }
        if (this.work != null) {
            try (Stream<Path> paths = Files.walk(this.work)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
    }

    @Test
    void firstRunsWhenStartedTogetherShouldAnswerAsWithoutCacheAndLeaveOneWholeCache() throws Exception {
        Launcher launcher = launcher("together");
        List<CompletableFuture<Launcher.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> run(launcher, nodesJson())));
        }
        for (CompletableFuture<Launcher.Result> run : runs) {
            assertSameAsBaseline(run.join());
        }

        Path cache = awaitCache(launcher, "cli");
        try (Stream<Path> entries = Files.list(cache.getParent().getParent())) {
            assertThat(entries.map((path) -> path.getFileName().toString()))
                    .as("one cache and the memo of its key, no lock left")
                    .containsExactlyInAnyOrder(cache.getParent().getFileName().toString(), "cli.key");
        }
        try (Stream<Path> entries = Files.list(cache.getParent())) {
            assertThat(entries.map((path) -> path.getFileName().toString()))
                    .as("the extracted jar and the cache, no half-written training file")
                    .containsExactlyInAnyOrder("app", "app.aot");
        }
    }

    @Test
    void runWhenCacheIsPresentShouldStartFromItAndAnswerTheSame() throws Exception {
        Launcher launcher = launcher("present");
        assertSameAsBaseline(launcher.run(nodesJson()));
        awaitCache(launcher, "cli");
        Path jvmLog = this.work.resolve("present-aot.log");

        Launcher.Result result = launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + jvmLog)
                .run(nodesJson());

        assertSameAsBaseline(withoutToolOptionsNotice(result));
        assertThat(jvmLog).content().contains("Using AOT-linked classes: true");
    }

    @Test
    void runWhenCacheIsPresentShouldStartNoProgramButJava() throws Exception {
        Launcher launcher = launcher("no-programs");
        assertSameAsBaseline(launcher.run(nodesJson()));
        awaitCache(launcher, "cli");
        // stand-ins for what the launcher used to start on every verb (find-jdk, sed, ls, cksum, find, touch, ...):
        // each would leave a mark; java itself comes from JAVA_HOME, not from this PATH
        Path bin = Files.createDirectories(this.work.resolve("no-programs-path"));
        List<String> programs = List.of(
                "sh",
                "dirname",
                "readlink",
                "sed",
                "head",
                "cat",
                "ls",
                "sort",
                "cksum",
                "tr",
                "find",
                "touch",
                "mkdir",
                "mv",
                "rm",
                "env");
        for (String program : programs) {
            Path stand = bin.resolve(program);
            Files.writeString(stand, "#!/bin/sh\n: > '" + bin.resolve("ran-" + program) + "'\nexit 1\n");
            stand.toFile().setExecutable(true);
        }
        Path jvmLog = this.work.resolve("no-programs-aot.log");

        Launcher.Result result = launcher.env("PATH", bin.toString())
                .env("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + jvmLog)
                .run(nodesJson());

        assertSameAsBaseline(withoutToolOptionsNotice(result));
        assertThat(jvmLog).content().contains("Using AOT-linked classes: true");
        try (Stream<Path> files = Files.list(bin)) {
            assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.startsWith("ran-"));
        }
    }

    @Test
    void runWhenTheJarIsReplacedByAnOlderOneShouldNotStartFromTheCacheOfTheNewer() throws Exception {
        Launcher launcher = launcher("replaced");
        launcher.run(nodesJson());
        awaitCache(launcher, "cli");
        assertSameAsBaseline(launcher.run(nodesJson()));
        Path jar = this.script.getParent().resolveSibling("lib/mesh-cli.jar");
        FileTime built = Files.getLastModifiedTime(jar);
        Path jvmLog = this.work.resolve("replaced-aot.log");
        launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + jvmLog);
        try {
            // another build unpacked over this one: tar keeps its older time, the memo of the key must not match
            Files.setLastModifiedTime(jar, FileTime.from(built.toInstant().minusSeconds(86_400)));

            assertSameAsBaseline(withoutToolOptionsNotice(launcher.run(nodesJson())));
            assertThat(jvmLog).content().doesNotContain("Using AOT-linked classes: true");
            awaitNoTraining(launcher);
        } finally {
            Files.setLastModifiedTime(jar, built);
        }

        assertSameAsBaseline(withoutToolOptionsNotice(launcher.run(nodesJson())));
        assertThat(jvmLog).content().as("the jar it was made for again").contains("Using AOT-linked classes: true");
    }

    @Test
    void cacheShouldBeTrainedOnARealAnswerAndAnswerOneAsARunWithoutIt() throws Exception {
        HttpServer coordinator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        coordinator.createContext("/api/v1/nodes", (exchange) -> {
            byte[] body = NODES.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (exchange;
                    OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        coordinator.start();
        try {
            String url = "http://127.0.0.1:" + coordinator.getAddress().getPort();
            String[] table = {"--coordinator", url, "--token", "e2e-token", "nodes"};
            String[] json = {"--coordinator", url, "--token", "e2e-token", "nodes", "--output", "json"};
            Launcher off = launcher("real-off").env("CLAW_MESH_AOT", "off");
            Launcher.Result expectedTable = off.run(table);
            Launcher.Result expectedJson = off.run(json);
            assertThat(expectedTable.exitCode()).as(expectedTable.toString()).isZero();
            assertThat(expectedTable.out()).contains("e2e-gpu", "e2e-mac");
            assertThat(expectedJson.out()).startsWith("[").contains("\"name\" : \"e2e-gpu\"");
            Launcher launcher = launcher("real");
            assertThat(launcher.run(table)).isEqualTo(expectedTable);
            awaitCache(launcher, "cli");
            Path tableClasses = this.work.resolve("real-table-classes.log");
            Path jsonClasses = this.work.resolve("real-json-classes.log");

            launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + tableClasses);
            assertThat(withoutToolOptionsNotice(launcher.run(table))).isEqualTo(expectedTable);
            launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + jsonClasses);
            assertThat(withoutToolOptionsNotice(launcher.run(json))).isEqualTo(expectedJson);

            // what a refused connection never reaches: the answer read into the wire records, and the table printed
            assertThat(tableClasses)
                    .content()
                    .as("trained on a real answer")
                    .contains("io.clawmesh.common.node.NodeView source: shared objects file")
                    .contains("io.clawmesh.cli.output.Table source: shared objects file");
            assertThat(jsonClasses)
                    .content()
                    .as("trained on a real answer")
                    .contains("io.clawmesh.common.node.NodeView source: shared objects file");
        } finally {
            coordinator.stop(0);
        }
    }

    @Test
    void runWhenCacheIsCorruptShouldAnswerTheSameAndPrintNothingMore() throws Exception {
        Launcher launcher = launcher("corrupt");
        launcher.run(nodesJson());
        Path cache = awaitCache(launcher, "cli");
        byte[] whole = Files.readAllBytes(cache);
        Path jvmLog = this.work.resolve("corrupt-aot.log");
        launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + jvmLog);

        Files.write(cache, java.util.Arrays.copyOf(whole, 4096));
        assertSameAsBaseline(withoutToolOptionsNotice(launcher.run(nodesJson())));
        assertThat(jvmLog).content().as("the JVM refused it").contains("Loading static archive failed");

        byte[] garbage = new byte[whole.length];
        new java.util.Random(18).nextBytes(garbage);
        Files.write(cache, garbage);
        assertSameAsBaseline(withoutToolOptionsNotice(launcher.run(nodesJson())));
        assertThat(jvmLog).content().as("the JVM refused it").contains("bad magic number");
    }

    @Test
    void runWhenCacheWasMadeForOtherClassesShouldAnswerTheSameAndPrintNothingMore() throws Exception {
        Launcher launcher = launcher("foreign");
        launcher.run(nodesJson());
        Path cache = awaitCache(launcher, "cli");
        // a cache the same JDK made for another program (bin/Probe.java run from source)
        Path foreign = this.work.resolve("foreign.aot");
        Process training = new ProcessBuilder(
                        java(),
                        "-XX:AOTCacheOutput=" + foreign,
                        this.script.resolveSibling("Probe.java").toString(),
                        this.closedUrl)
                .redirectErrorStream(true)
                .redirectOutput(this.logs.resolve("foreign-training.log").toFile())
                .start();
        assertThat(training.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(foreign).isNotEmptyFile();
        Files.copy(foreign, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path jvmLog = this.work.resolve("foreign-aot.log");

        Launcher.Result result = launcher.env("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + jvmLog)
                .run(nodesJson());

        assertSameAsBaseline(withoutToolOptionsNotice(result));
        assertThat(jvmLog)
                .content()
                .as("the JVM refused it")
                .contains("Unable to map shared spaces")
                .doesNotContain("Using AOT-linked classes: true");
    }

    @Test
    void runWhenCacheDirCannotBeCreatedShouldAnswerTheSameAndWriteNothing() throws Exception {
        Path notADir = Files.writeString(this.work.resolve("plain-file"), "not a directory");
        Launcher launcher = launcher("unwritable")
                .env("XDG_CACHE_HOME", notADir.resolve("cache").toString());

        for (int i = 0; i < 2; i++) {
            assertSameAsBaseline(launcher.run(nodesJson()));
        }

        assertThat(notADir).hasContent("not a directory");
        assertThat(launcher.home().resolve(".cache")).doesNotExist();
    }

    @Test
    void upWhenCoordinatorCacheIsPresentShouldStartFromItAndServeTheApi() throws Exception {
        Launcher launcher = launcher("up");
        int port = freePort();
        Process first = launcher.start("up-first", "up", "--no-local", "--port", String.valueOf(port));
        awaitHealthy(port, first, launcher, "up-first");
        awaitCache(launcher, "coordinator");
        Launcher.stop(first);
        assertThat(first.exitValue()).isZero();

        Process second = launcher.start("up-second", "up", "--no-local", "--port", String.valueOf(port));
        awaitHealthy(port, second, launcher, "up-second");

        assertThat(second.descendants()
                        .map((process) -> process.info().commandLine().orElse(""))
                        .filter((line) -> line.contains("CoordinatorApplication") || line.contains("coordinator")))
                .anySatisfy((line) -> assertThat(line)
                        .contains("-XX:AOTCache=" + launcher.home().resolve(".cache/claw-mesh/aot/coordinator-"))
                        .contains("-Xlog:aot=off"));
        Launcher.stop(second);
        assertThat(second.exitValue()).isZero();
    }

    @Test
    void coordinatorTrainingShouldStartWholeOnLoopbackAnswerAndEndByItselfWithZeroAndACache() throws Exception {
        // the training run as the launcher's aot_train starts it: the extracted jar, an empty environment, a new data
        // dir beside it, the launcher's training arguments
        Path dir = Files.createDirectories(this.work.resolve("coordinator-training"));
        Path jar = this.script.getParent().getParent().resolve("lib/coordinator-service.jar");
        Process extract = new ProcessBuilder(
                        java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", "app")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(this.logs.resolve("coordinator-extract.log").toFile())
                .start();
        assertThat(extract.waitFor(60, TimeUnit.SECONDS) && extract.exitValue() == 0)
                .as("extract")
                .isTrue();
        Files.createDirectories(dir.resolve("data"));
        ProcessBuilder builder = new ProcessBuilder(
                        java(),
                        "-Dspring.aot.enabled=true",
                        "-XX:+UseSerialGC",
                        "-Dclaw-mesh.aot-training=true",
                        "-XX:AOTCacheOutput=" + dir.resolve("training.aot"),
                        "-jar",
                        dir.resolve("app/coordinator-service.jar").toString(),
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--mesh.data-dir=./data",
                        "--mesh.config.enabled=false")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(this.logs.resolve("coordinator-training.log").toFile());
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        Process training = builder.start();

        assertThat(training.waitFor(TRAINING.toSeconds(), TimeUnit.SECONDS))
                .as("ended by itself")
                .isTrue();
        String log = Files.readString(this.logs.resolve("coordinator-training.log"));
        assertThat(training.exitValue()).as(log).isZero();
        assertThat(log).contains("Tomcat started on port").contains("Started CoordinatorApplication");
        assertThat(dir.resolve("training.aot")).isNotEmptyFile();
        // a whole start: the schema applied and the operator token made in the new data dir, nowhere else
        assertThat(dir.resolve("data/coordinator.mv.db")).isRegularFile();
        assertThat(dir.resolve("data/operator-token")).isRegularFile();
        assertThat(dir.resolve(".claw-mesh")).doesNotExist();
    }

    @Test
    void coordinatorTrainingWhenAskedForAPublicAddressShouldRefuseWithoutListeningOrWriting() throws Exception {
        Path dir = Files.createDirectories(this.work.resolve("coordinator-training-public"));
        Path jar = this.script.getParent().getParent().resolve("lib/coordinator-service.jar");
        ProcessBuilder builder = new ProcessBuilder(
                        java(),
                        "-Dclaw-mesh.aot-training=true",
                        "-jar",
                        jar.toString(),
                        "--server.address=0.0.0.0",
                        "--server.port=0",
                        "--mesh.data-dir=./data",
                        "--mesh.config.enabled=false")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(
                        this.logs.resolve("coordinator-training-public.log").toFile());
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        Process training = builder.start();

        assertThat(training.waitFor(TRAINING.toSeconds(), TimeUnit.SECONDS))
                .as("ended by itself")
                .isTrue();
        String log = Files.readString(this.logs.resolve("coordinator-training-public.log"));
        assertThat(training.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("not an AOT training run: server.address").doesNotContain("Tomcat started");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void upWithoutAConfigFileShouldTakeItsSettingsFromTheEnvironmentWithoutStartingTheCli() throws Exception {
        Launcher launcher = launcher("up-env");
        int port = freePort();
        Path dataDir = this.work.resolve("up-env-data");
        String token = "operator-token-from-the-environment-0123";
        // the systematic name, blank, gives way to the Go version's short one, as in the CLI's __up-settings
        launcher.env("CLAW_MESH_COORDINATOR_PORT", String.valueOf(port))
                .env("CLAW_MESH_COORDINATOR_DATA_DIR", " ")
                .env("CLAW_MESH_DATA_DIR", dataDir.toString())
                .env("CLAW_MESH_TOKEN", token);

        Process up = launcher.start("up-env", "up", "--no-local");
        awaitHealthy(port, up, launcher, "up-env");

        assertThat(nodesStatus(port, token)).isEqualTo(200);
        assertThat(nodesStatus(port, token + "-wrong")).isEqualTo(401);
        assertThat(Files.readString(this.logs.resolve("up-env.log")))
                .contains("starting the coordinator on http://127.0.0.1:" + port + " (data in " + dataDir + ";");
        assertThat(dataDir).isDirectory();
        // no CLI JVM ran: it would have started the training of the CLI's cache
        try (Stream<Path> caches = Files.list(launcher.home().resolve(".cache/claw-mesh/aot"))) {
            assertThat(caches.map((dir) -> dir.getFileName().toString())).noneMatch((name) -> name.startsWith("cli-"));
        }
        Launcher.stop(up);
        assertThat(up.exitValue()).isZero();
    }

    @Test
    void upWithTheBuildsSettingsShouldStartTheCoordinatorWithSpringAot() throws Exception {
        Launcher launcher = launcher("spring-aot-on").env("CLAW_MESH_AOT", "off");
        int port = freePort();

        Process up = launcher.start("spring-aot-on", "up", "--no-local", "--port", String.valueOf(port));
        awaitHealthy(port, up, launcher, "spring-aot-on");

        assertThat(Files.readString(this.logs.resolve("spring-aot-on.log")))
                .contains("Spring AOT on: the bean definitions generated at build time")
                .doesNotContain("Spring AOT off");
        // the MCP server is there: it answers a malformed message itself
        HttpResponse<String> mcp = postMcp(port, operatorToken(launcher));
        assertThat(mcp.statusCode()).as(mcp.body()).isEqualTo(400);
        assertThat(mcp.body()).contains("Invalid message format");
        Launcher.stop(up);
        assertThat(up.exitValue()).isZero();
    }

    @Test
    void upWithASettingAConditionReadsShouldStartWithoutSpringAotAndHonourIt() throws Exception {
        // mesh.mcp.enabled decides @ConditionalOnBooleanProperty on McpServerConfiguration: Spring AOT decided it at
        // build time (true), so this run must evaluate it itself
        Launcher launcher =
                launcher("spring-aot-off").env("CLAW_MESH_AOT", "off").env("MESH_MCP_ENABLED", "false");
        int port = freePort();

        Process up = launcher.start("spring-aot-off", "up", "--no-local", "--port", String.valueOf(port));
        awaitHealthy(port, up, launcher, "spring-aot-off");

        assertThat(Files.readString(this.logs.resolve("spring-aot-off.log")))
                .contains("Spring AOT off for this run: MESH_MCP_ENABLED is set")
                .doesNotContain("Spring AOT on");
        HttpResponse<String> mcp = postMcp(port, operatorToken(launcher));
        assertThat(mcp.statusCode()).as(mcp.body()).isEqualTo(404);
        assertThat(nodesStatus(port, operatorToken(launcher))).isEqualTo(200);
        Launcher.stop(up);
        assertThat(up.exitValue()).isZero();
    }

    private static String operatorToken(Launcher launcher) throws IOException {
        return Files.readString(launcher.home().resolve(".claw-mesh/operator-token"))
                .strip();
    }

    private HttpResponse<String> postMcp(int port, String token) throws IOException, InterruptedException {
        return this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int nodesStatus(int port, String token) throws IOException, InterruptedException {
        return this.http
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/nodes"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private String[] nodesJson() {
        return new String[] {"--coordinator", this.closedUrl, "nodes", "--output", "json"};
    }

    private Launcher launcher(String name) throws IOException {
        Launcher launcher =
                new Launcher(this.script, Files.createDirectories(this.work.resolve(name + "-home")), this.logs);
        launcher.env("SERVER_ADDRESS", "127.0.0.1");
        this.launchers.add(launcher);
        return launcher;
    }

    private static Launcher.Result run(Launcher launcher, String... args) {
        try {
            return launcher.run(args);
        } catch (IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertSameAsBaseline(Launcher.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(this.baseline.exitCode());
        assertThat(result.out()).as(result.toString()).isEqualTo(this.baseline.out());
        assertThat(result.err()).as(result.toString()).isEqualTo(this.baseline.err());
    }

    /** The JVM announces JAVA_TOOL_OPTIONS on stderr; the test sets them to read the JVM's own AOT log. */
    private static Launcher.Result withoutToolOptionsNotice(Launcher.Result result) {
        String err = result.err().replaceAll("(?m)^Picked up JAVA_TOOL_OPTIONS: .*\\R", "");
        return new Launcher.Result(result.exitCode(), result.out(), err);
    }

    private static Path awaitCache(Launcher launcher, String program) {
        Path root = launcher.home().resolve(".cache/claw-mesh/aot");
        Path[] found = new Path[1];
        Awaitility.await("the " + program + " cache")
                .atMost(TRAINING)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!Files.isDirectory(root)) {
                        return false;
                    }
                    try (Stream<Path> dirs = Files.list(root)) {
                        found[0] = dirs.filter(
                                        (dir) -> dir.getFileName().toString().startsWith(program + "-"))
                                .map((dir) -> dir.resolve("app.aot"))
                                .filter(Files::isRegularFile)
                                .findFirst()
                                .orElse(null);
                    }
                    return found[0] != null && !Files.exists(Path.of(found[0].getParent() + ".lock"));
                });
        return found[0];
    }

    /** Until no training holds a lock (a training started by the test must not outlive it). */
    private static void awaitNoTraining(Launcher launcher) {
        Path root = launcher.home().resolve(".cache/claw-mesh/aot");
        Awaitility.await("the training runs")
                .atMost(TRAINING)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try (Stream<Path> dirs = Files.list(root)) {
                        return dirs.noneMatch(
                                (dir) -> dir.getFileName().toString().endsWith(".lock"));
                    }
                });
    }

    private void awaitHealthy(int port, Process process, Launcher launcher, String log) {
        Awaitility.await("the coordinator on " + port)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(process.isAlive()).as(launcher.log(log)).isTrue();
                    try {
                        HttpResponse<Void> response = this.http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                        return response.statusCode() == 200;
                    } catch (IOException ex) {
                        return false;
                    }
                });
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
