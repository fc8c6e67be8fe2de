package io.clawmesh.agent.runtime.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible adapter against {@link FakeOpenAiServer} over real HTTP on 127.0.0.1. */
class OpenAiRuntimeTests {

    private final FakeOpenAiServer server = new FakeOpenAiServer();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        this.server.release();
        this.callers.shutdownNow();
        this.server.close();
    }

    @Test
    void streamShouldPassEachChunkOnAsItArrivesAndAnswerTheirConcatenation() {
        this.server.mode(FakeOpenAiServer.Mode.HOLD_MID_STREAM);

        CompletableFuture<String> reply = streamAsync(request("msg-1", "hello", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());

        assertThat(this.deltas).containsExactly("echo: hell");
        assertThat(reply).isNotDone();
        assertThat(this.server.finished).isNotDone();
        this.server.release();
        assertThat(reply.join()).isEqualTo("echo: hello (turn 1)").isEqualTo(String.join("", this.deltas));
        assertThat(this.deltas).containsExactly("echo: hell", "o (turn 1)");
    }

    @Test
    void streamWhenTheServerAnswersOneJsonBodyShouldPassItAsOnePiece() {
        this.server.mode(FakeOpenAiServer.Mode.JSON_ONLY);

        String reply = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).stream(
                request("msg-1", "plain", null), this.deltas::add);

        assertThat(reply).isEqualTo("echo: plain (turn 1)");
        assertThat(this.deltas).containsExactly(reply);
    }

    @Test
    void streamWhenAbortedMidStreamShouldCloseTheConnectionSoTheServerSeesTheClientGoAway() throws Exception {
        this.server.mode(FakeOpenAiServer.Mode.HOLD_MID_STREAM);
        RuntimeRequest request = request("msg-1", "hello", null);

        CompletableFuture<String> reply = streamAsync(request);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());
        request.abort().abort("canceled by the operator");

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RunAbortedException.class)
                .withMessage("openai runtime failed: aborted: canceled by the operator");
        this.server.clientWentAway.get(5, TimeUnit.SECONDS);
        assertThat(this.server.finished).isNotDone();
    }

    @Test
    void streamWhenAbortedBeforeItStartsShouldFailWithoutCallingTheServer() {
        RuntimeRequest request = request("msg-1", "hello", null);
        request.abort().abort("canceled before dispatch");

        assertThatExceptionOfType(RunAbortedException.class)
                .isThrownBy(
                        () -> runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).stream(request, this.deltas::add))
                .withMessageContaining("aborted: canceled before dispatch");
        assertThat(this.server.requests).isEmpty();
        assertThat(this.deltas).isEmpty();
    }

    @Test
    void streamWhenTheDeadlinePassesMidStreamShouldFailAndCloseTheConnection() throws Exception {
        this.server.mode(FakeOpenAiServer.Mode.HOLD_MID_STREAM);
        RuntimeRequest request =
                new RuntimeRequest("msg-1", "hello", "test", null, Instant.now().plusMillis(700));

        CompletableFuture<String> reply = streamAsync(request);

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RuntimeFailureException.class)
                .withMessageContaining("within the gateway timeout");
        this.server.clientWentAway.get(5, TimeUnit.SECONDS);
        assertThat(this.deltas).containsExactly("echo: hell");
    }

    @Test
    void streamWhenTheStreamReportsAnErrorShouldFailAfterThePiecesBeforeIt() {
        this.server.mode(FakeOpenAiServer.Mode.ERROR_MID_STREAM);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).stream(
                        request("msg-1", "hi", null), this.deltas::add))
                .withMessageContaining("upstream model crashed")
                .isNotInstanceOf(RunAbortedException.class);
        assertThat(this.deltas).containsExactly("echo: hi");
    }

    private CompletableFuture<String> streamAsync(RuntimeRequest request) {
        OpenAiRuntime runtime = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL);
        return CompletableFuture.supplyAsync(() -> runtime.stream(request, this.deltas::add), this.callers);
    }

    @Test
    void sendShouldAskForAStreamAndJoinTheServerSentChunks() {
        String reply = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).send(request("msg-1", "hello", null));

        assertThat(reply).isEqualTo("echo: hello (turn 1)");
        assertThat(this.server.requests).singleElement().satisfies((request) -> {
            assertThat(request.path("stream").asBoolean()).isTrue();
            assertThat(request.path("model").asString()).isEqualTo(FakeOpenAiServer.MODEL);
            assertThat(request.path("messages").path(0).path("role").asString()).isEqualTo("user");
            assertThat(request.has("user")).isFalse();
        });
    }

    @Test
    void sendWhenTheServerAnswersOneJsonBodyShouldReadIt() {
        this.server.mode(FakeOpenAiServer.Mode.JSON_ONLY);

        String reply = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).send(request("msg-1", "plain", null));

        assertThat(reply).isEqualTo("echo: plain (turn 1)");
    }

    @Test
    void sendWithOneSessionKeyShouldCarryItAsUserSoTheServerKeepsOneConversation() {
        OpenAiRuntime runtime = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL);

        runtime.send(request("msg-1", "first", "chat-9"));
        String second = runtime.send(request("msg-2", "second", "chat-9"));

        assertThat(second).isEqualTo("echo: second (turn 2)");
        assertThat(this.server.requests)
                .allSatisfy(
                        (request) -> assertThat(request.path("user").asString()).isEqualTo("chat-9"));
    }

    @Test
    void sendWithAWrongKeyShouldFailNamingTheKeyFlag() {
        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime("sk-wrong", FakeOpenAiServer.MODEL).send(request("msg-1", "hi", null)))
                .withMessageContaining("openai runtime failed")
                .withMessageContaining("401: Incorrect API key provided")
                .withMessageContaining("--api-key")
                .satisfies((ex) -> assertThat(ex.runtime()).isEqualTo("openai"));
    }

    @Test
    void sendWithAnUnknownModelShouldFailWithTheServersReason() {
        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(FakeOpenAiServer.KEY, "gpt-nope").send(request("msg-1", "hi", null)))
                .withMessageContaining("The model 'gpt-nope' does not exist")
                .withMessageContaining("--api-model");
    }

    @Test
    void sendWhenTheStreamReportsAnErrorShouldFail() {
        this.server.mode(FakeOpenAiServer.Mode.ERROR_MID_STREAM);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() ->
                        runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).send(request("msg-1", "hi", null)))
                .withMessageContaining("upstream model crashed");
    }

    @Test
    void sendWhenTheStreamBreaksOffShouldFailRatherThanAnswerHalfAReply() {
        this.server.mode(FakeOpenAiServer.Mode.TRUNCATED_STREAM);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() ->
                        runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL).send(request("msg-1", "hi", null)))
                .withMessageContaining("without 'data: [DONE]'");
    }

    @Test
    void sendToAWrongBaseShouldSayWhereItLooked() {
        OpenAiRuntime runtime = new OpenAiRuntime(
                OpenAiSettings.of(this.server.base().replace("/v1", "/api"), FakeOpenAiServer.KEY, "m"),
                this.http,
                Clock.systemUTC());

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-1", "hi", null)))
                .withMessageContaining("no chat completions endpoint at")
                .withMessageContaining("/api/chat/completions")
                .withMessageContaining("--api-base");
    }

    @Test
    void infoShouldReportTheKindAndWhetherTheServerAnswers() {
        OpenAiRuntime runtime = runtime(FakeOpenAiServer.KEY, FakeOpenAiServer.MODEL);
        assertThat(runtime.info().kind()).isEqualTo("openai");
        assertThat(runtime.info().connected()).isTrue();

        this.server.close();
        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-1", "hi", null)))
                .withMessageContaining("not reachable");
        assertThat(runtime.info().connected()).isFalse();
    }

    @Test
    void settingsShouldRequireBaseAndModelAndAcceptAFullEndpointUrl() {
        assertThatIllegalStateException()
                .isThrownBy(() -> OpenAiSettings.of(null, null, "m"))
                .withMessageContaining("--api-base");
        assertThatIllegalStateException()
                .isThrownBy(() -> OpenAiSettings.of("http://127.0.0.1:1/v1", null, " "))
                .withMessageContaining("--api-model");
        assertThatIllegalStateException()
                .isThrownBy(() -> OpenAiSettings.of("ftp://x/v1", null, "m"))
                .withMessageContaining("http(s) URL");
        assertThat(OpenAiSettings.of("http://127.0.0.1:1/v1/chat/completions/", "", "m"))
                .satisfies((settings) -> {
                    assertThat(settings.baseUri()).hasToString("http://127.0.0.1:1/v1");
                    assertThat(settings.apiKey()).isNull();
                });
    }

    private OpenAiRuntime runtime(String key, String model) {
        return new OpenAiRuntime(OpenAiSettings.of(this.server.base(), key, model), this.http, Clock.systemUTC());
    }

    private static RuntimeRequest request(String id, String content, @Nullable String sessionKey) {
        return new RuntimeRequest(id, content, "test", sessionKey, Instant.now().plus(Duration.ofSeconds(30)));
    }
}
