package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible API (SPEC §21) driven by the official {@code openai} npm client, as a chat UI or an SDK user
 * would: a coordinator and an agent as real processes, the agent on the OpenAI-compatible runtime of a model that
 * streams word by word ({@link SlowModelServer}), and a client key made through the keys API. The client lists the
 * models, asks for a completion, streams one, and meets the errors (unknown model, a model the key may not use, a wrong
 * key) as the client library's own error classes. A client that leaves a plain completion closes the model's stream.
 * Skipped with the reason where node or npm are absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiClientEndToEndTests {

    private static final Path CLIENT_SOURCES = Path.of("src", "test", "js", "openai");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MeshCluster cluster;

    private SlowModelServer model;

    private MeshProcess coordinator;

    private RestClient api;

    private Path clientDir;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        assumeTrue(runs("node", "--version"), "node is not installed: the openai client is not driven in this run");
        assumeTrue(runs("npm", "--version"), "npm is not installed: the openai client is not driven in this run");
        this.clientDir = installClient();
        this.model = new SlowModelServer(Duration.ofMillis(30));
        this.cluster = new MeshCluster(workDir);
        int coordinatorPort = MeshCluster.freePort();
        this.coordinator = this.cluster.startCoordinator(coordinatorPort);
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        this.cluster.startAgent(
                "model-box",
                MeshCluster.freePort(),
                coordinatorPort,
                "llm",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=openai",
                        "--mesh.agent.api-base=" + this.model.apiBase(),
                        "--mesh.agent.api-model=slow"));
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
    void officialOpenAiClientShouldChatAndStreamThroughTheMeshWithAClientKey() throws Exception {
        String key = createKey("e2e-chat", "[\"mesh/auto\",\"mesh/node/*\"]");
        String prompt = "tell the other machine hello";

        JsonNode seen = runClient(Map.of(
                "MESH_BASE_URL",
                this.coordinator.baseUrl() + "/v1",
                "MESH_API_KEY",
                key,
                "MESH_MODEL",
                "mesh/node/model-box",
                "MESH_PROMPT",
                prompt,
                "MESH_SESSION",
                "e2e-session",
                "MESH_FORBIDDEN_MODEL",
                "mesh/skill/llm"));

        List<String> models = new ArrayList<>();
        seen.path("models").values().forEach((id) -> models.add(id.asString()));
        assertThat(models).containsExactly("mesh/auto", "mesh/node/model-box");
        String expected = SlowModelServer.replyTo(prompt);
        JsonNode completion = seen.path("completion");
        assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
        assertThat(completion.path("model").asString()).isEqualTo("mesh/node/model-box");
        assertThat(completion.path("role").asString()).isEqualTo("assistant");
        assertThat(completion.path("content").asString()).isEqualTo(expected);
        assertThat(completion.path("finishReason").asString()).isEqualTo("stop");
        JsonNode stream = seen.path("stream");
        assertThat(stream.path("role").asString()).isEqualTo("assistant");
        assertThat(stream.path("content").asString()).isEqualTo(expected);
        assertThat(stream.path("deltas").size()).as("streamed word by word").isGreaterThan(2);
        assertThat(stream.path("finishReason").asString()).isEqualTo("stop");
        assertThat(seen.path("unknownModel").path("status").asInt()).isEqualTo(404);
        assertThat(seen.path("unknownModel").path("code").asString()).isEqualTo("model_not_found");
        assertThat(seen.path("forbiddenModel").path("status").asInt()).isEqualTo(403);
        assertThat(seen.path("wrongKey").path("status").asInt()).isEqualTo(401);
        assertThat(seen.path("wrongKey").path("name").asString()).isEqualTo("AuthenticationError");
        assertThat(this.model.callsFor(prompt)).as("one run per completion").isEqualTo(2);
    }

    @Test
    void clientThatLeavesAPlainCompletionShouldCloseTheModelsStream() throws Exception {
        String key = createKey("e2e-leave", null);
        // about 12 s of streaming at the model's pace, far longer than the client stays
        String prompt = "leave " + "word ".repeat(400).strip();
        byte[] body = JSON.writeValueAsBytes(
                Map.of("model", "mesh/node/model-box", "messages", List.of(Map.of("role", "user", "content", prompt))));
        URI base = URI.create(this.coordinator.baseUrl());

        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer "
                                    + key + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(20, TimeUnit.SECONDS).until(() -> this.model.calls().contains(prompt));
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> this.model.aborts().contains(prompt));
        assertThat(this.model.completed()).as("the model's run was cut short").doesNotContain(prompt);
    }

    @Test
    void revokedKeyShouldBeRefusedToTheClientAtOnce() throws Exception {
        String key = createKey("e2e-revoked", null);
        assertThat(this.api
                        .delete()
                        .uri("/api/v1/keys/e2e-revoked")
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(200);

        Process process = node(Map.of(
                        "MESH_BASE_URL", this.coordinator.baseUrl() + "/v1",
                        "MESH_API_KEY", key,
                        "MESH_MODEL", "mesh/auto",
                        "MESH_PROMPT", "hi",
                        "MESH_SESSION", "s",
                        "MESH_FORBIDDEN_MODEL", "mesh/auto"))
                .start();
        String err = finish(process);

        assertThat(process.exitValue()).as("the client fails on its first call").isNotZero();
        assertThat(err).contains("401");
    }

    private String createKey(String name, String models) {
        String body = "{\"name\":\"" + name + "\"" + ((models != null) ? ",\"models\":" + models : "") + "}";
        String created = this.api
                .post()
                .uri("/api/v1/keys")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .body(String.class);
        return JSON.readTree(created).path("secret").asString();
    }

    private JsonNode runClient(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = node(environment);
        Path out = this.clientDir.resolve("out.json");
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        String err = finish(process);
        assertThat(process.exitValue()).as("the openai client failed:\n%s", err).isZero();
        return JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    private ProcessBuilder node(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder("node", "client.mjs").directory(this.clientDir.toFile());
        builder.environment().putAll(environment);
        builder.redirectError(this.clientDir.resolve("err.txt").toFile());
        return builder;
    }

    private String finish(Process process) throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the openai client did not finish in 60 s");
        }
        return Files.readString(this.clientDir.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    /** Copies the client into target/ and installs its locked dependencies there with {@code npm ci}. */
    private static Path installClient() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "js-openai")).toAbsolutePath();
        for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
            Files.copy(CLIENT_SOURCES.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm.log").toFile())
                .start();
        if (!npm.waitFor(180, TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci did not finish in 180 s");
        }
        assumeTrue(
                npm.exitValue() == 0,
                "npm ci failed (no registry?): " + Files.readString(dir.resolve("npm.log"), StandardCharsets.UTF_8));
        return dir;
    }

    private static boolean runs(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
