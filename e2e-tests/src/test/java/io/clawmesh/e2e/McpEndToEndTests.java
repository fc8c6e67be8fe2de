package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server as an assistant meets it (issue 15): the official MCP TypeScript SDK client
 * ({@code @modelcontextprotocol/sdk}, installed by {@code npm ci} from {@code src/test/js-mcp}) connects to a real
 * coordinator over Streamable HTTP with the operator token, lists the tools, gets a reply from a real agent process
 * (OpenAI-compatible runtime on a slow streaming model) with progress notifications while it streams, follows a task
 * started without waiting, and cancels a running one. Skipped with the reason where node or npm are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpEndToEndTests {

    private static final Path CLIENT_SOURCES = Path.of("src", "test", "js-mcp");

    private static final String SLOW_CONTENT =
            "mcp one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";

    private MeshCluster cluster;

    private SlowModelServer model;

    private MeshProcess coordinator;

    private Path clientDir;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        Assumptions.assumeTrue(works("node", "--version"), "node is not installed: the MCP TypeScript client needs it");
        Assumptions.assumeTrue(works("npm", "--version"), "npm is not installed: it installs the MCP TypeScript SDK");
        this.clientDir = installClient(workDir.resolve("js-mcp"));
        this.model = new SlowModelServer(Duration.ofMillis(150));
        this.cluster = new MeshCluster(workDir);
        int coordinatorPort = MeshCluster.freePort();
        this.coordinator = this.cluster.startCoordinator(coordinatorPort);
        this.cluster.startAgent(
                "worker",
                MeshCluster.freePort(),
                coordinatorPort,
                "mcp",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=openai",
                        "--mesh.agent.api-base=" + this.model.apiBase(),
                        "--mesh.agent.api-model=slow"));
        this.cluster.awaitHttpOk(this.coordinator, this.coordinator.baseUrl() + "/actuator/health");
        Awaitility.await("the worker node online")
                .atMost(Duration.ofSeconds(30))
                .until(() -> nodesJson().contains("\"status\":\"online\""));
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
        if (this.model != null) {
            this.model.close();
        }
    }

    @Test
    void theOfficialTypeScriptClientUsesTheMeshThroughMcp() throws Exception {
        JsonNode out = runClient();

        assertThat(out.path("withoutToken").asString()).as("no token").contains("401");
        assertThat(out.path("withWrongToken").asString()).as("wrong token").contains("401");
        assertThat(out.path("serverName").asString()).isEqualTo("claw-mesh");
        assertThat(out.path("tools").values().stream().map(JsonNode::asString))
                .containsExactly("cancel_task", "get_task", "list_nodes", "list_skills", "send_message");

        String reply = SlowModelServer.replyTo(SLOW_CONTENT);
        JsonNode send = out.path("send");
        assertThat(send.path("isError").asBoolean()).as(send.toString()).isFalse();
        assertThat(send.path("text").asString()).isEqualTo(reply);
        assertThat(send.path("status").asString()).isEqualTo("succeeded");
        assertThat(send.path("node").asString()).isEqualTo("worker");
        StringBuilder streamed = new StringBuilder();
        double last = 0;
        for (JsonNode progress : send.path("progress").values()) {
            assertThat(progress.path("progress").asDouble())
                    .as("progress only grows")
                    .isGreaterThan(last);
            last = progress.path("progress").asDouble();
            streamed.append(progress.path("message").asString());
        }
        assertThat(send.path("progress").size())
                .as("the reply streamed in pieces")
                .isGreaterThan(3);
        assertThat(streamed.toString())
                .as("the progress messages add up to the reply")
                .isEqualTo(reply);

        assertThat(out.path("async").path("isError").asBoolean()).isFalse();
        assertThat(out.path("async").path("taskId").asString()).startsWith("task-");
        assertThat(out.path("getTask").path("status").asString()).isEqualTo("succeeded");
        assertThat(out.path("getTask").path("text").asString()).isEqualTo(SlowModelServer.replyTo("async hello"));

        JsonNode cancel = out.path("cancel");
        assertThat(cancel.path("isError").asBoolean()).as(cancel.toString()).isFalse();
        assertThat(cancel.path("text").asString()).contains("canceled");
        assertThat(out.path("afterCancel").path("text").asString()).contains("canceled");
        Awaitility.await("the canceled run was aborted on the model")
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.model.aborts().contains(SLOW_CONTENT + " again"));

        assertThat(out.path("badArguments").path("isError").asBoolean()).isTrue();
        assertThat(out.path("badArguments").path("text").asString()).contains("content");
    }

    private JsonNode runClient() throws IOException, InterruptedException {
        Path log = this.clientDir.resolve("client.log");
        Path stdout = this.clientDir.resolve("client.out");
        ProcessBuilder builder = new ProcessBuilder("node", "mcp-client.mjs")
                .directory(this.clientDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(log.toFile());
        builder.environment().put("MCP_URL", this.coordinator.baseUrl() + "/mcp");
        builder.environment().put("MCP_TOKEN", MeshCluster.OPERATOR_TOKEN);
        builder.environment().put("TARGET", "worker");
        builder.environment().put("SLOW_CONTENT", SLOW_CONTENT);
        Process client = builder.start();
        try {
            boolean finished = client.waitFor(3, TimeUnit.MINUTES);
            assertThat(finished)
                    .as("the MCP client finished; stderr:\n" + Files.readString(log))
                    .isTrue();
            assertThat(client.exitValue())
                    .as("the MCP client's exit code; stderr:\n" + Files.readString(log))
                    .isZero();
        } finally {
            client.destroyForcibly();
        }
        String lastLine = Files.readAllLines(stdout, StandardCharsets.UTF_8).getLast();
        return JsonMapper.builder().build().readTree(lastLine);
    }

    /** Copies the client and its lock file out of the source tree and runs {@code npm ci} there. */
    private static Path installClient(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "mcp-client.mjs")) {
            Files.copy(CLIENT_SOURCES.resolve(file), dir.resolve(file));
        }
        List<String> command = new ArrayList<>(List.of("npm", "ci", "--no-audit", "--no-fund"));
        Process npm = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed:\n" + Files.readString(dir.resolve("npm.log")));
        }
        return dir;
    }

    private static boolean works(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String nodesJson() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.coordinator.baseUrl() + "/api/v1/nodes"))
                .header("Authorization", "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
