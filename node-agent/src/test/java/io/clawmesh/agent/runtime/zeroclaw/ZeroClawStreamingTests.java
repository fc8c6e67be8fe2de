package io.clawmesh.agent.runtime.zeroclaw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/** {@code stream()} over {@code /ws/chat}, its aborts and its webhook fallback, against {@link FakeZeroClaw}. */
class ZeroClawStreamingTests {

    private final FakeZeroClaw zeroclaw = FakeZeroClaw.start().agent("coder");

    private final FakeZeroClawChat chat = this.zeroclaw.chat();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        this.chat.release();
        this.callers.shutdownNow();
        this.zeroclaw.close();
    }

    @Test
    void streamWithAnAgentShouldPassTheChunksOnAsTheyArriveOverWsChat() throws Exception {
        this.chat.holdTurns = true;

        CompletableFuture<String> reply = streamAsync(runtime("coder"), request("msg-1", "hello", "chat-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());

        assertThat(this.deltas).containsExactly("zeroclaw: he");
        assertThat(reply).isNotDone();
        this.chat.release();
        assertThat(reply.get(5, TimeUnit.SECONDS))
                .isEqualTo("zeroclaw: hello (turn 1)")
                .isEqualTo(String.join("", this.deltas));
        String token = Files.readString(this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE));
        assertThat(this.chat.connections)
                .containsExactly(new FakeZeroClawChat.Connection("Bearer " + token, "coder", "chat-1"));
        assertThat(this.zeroclaw.webhookCalls).isEmpty();
    }

    @Test
    void streamWithOneSessionKeyShouldContinueOneConversation() {
        ZeroClawRuntime runtime = runtime("coder");

        runtime.stream(request("msg-1", "first", "chat-7"), (piece) -> {});
        String second = runtime.stream(request("msg-2", "second", "chat-7"), this.deltas::add);

        assertThat(second).isEqualTo("zeroclaw: second (turn 2)").isEqualTo(String.join("", this.deltas));
        assertThat(this.zeroclaw.session("chat-7")).containsExactly("first", "second");
    }

    @Test
    void streamWhenAbortedMidTurnShouldCloseTheWebSocketAndFailSayingAborted() {
        this.chat.holdTurns = true;
        RuntimeRequest request = request("msg-1", "hello", null);

        CompletableFuture<String> reply = streamAsync(runtime("coder"), request);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());
        request.abort().abort("canceled by the operator");

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RunAbortedException.class)
                .withMessage("zeroclaw runtime failed: aborted: canceled by the operator");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(this.chat.closedMidTurn).hasValue(1));
        assertThat(this.deltas).containsExactly("zeroclaw: he");
    }

    @Test
    void streamWhenAbortedBeforeItStartsShouldFailWithoutCallingZeroClaw() {
        RuntimeRequest request = request("msg-1", "hello", null);
        request.abort().abort("canceled before dispatch");

        assertThatExceptionOfType(RunAbortedException.class)
                .isThrownBy(() -> runtime("coder").stream(request, this.deltas::add))
                .withMessageContaining("aborted: canceled before dispatch");
        assertThat(this.chat.upgrades).hasValue(0);
        assertThat(this.zeroclaw.webhookCalls).isEmpty();
        assertThat(this.zeroclaw.turns).hasValue(0);
    }

    @Test
    void streamWhenTheDeadlinePassesMidTurnShouldFailAndCloseTheWebSocket() {
        this.chat.holdTurns = true;
        RuntimeRequest request =
                new RuntimeRequest("msg-1", "hello", "test", null, Instant.now().plusMillis(1500));

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime("coder").stream(request, this.deltas::add))
                .withMessageContaining("before its deadline")
                .isNotInstanceOf(RunAbortedException.class);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(this.chat.closedMidTurn).hasValue(1));
    }

    @Test
    void streamWhenZeroClawReportsAnErrorMidTurnShouldFailAfterThePiecesBeforeIt() {
        this.chat.errorMidTurn = true;

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime("coder").stream(request("msg-1", "hello", null), this.deltas::add))
                .withMessageContaining("ZeroClaw reported an error during the turn: LLM request failed");
        assertThat(this.deltas).containsExactly("zeroclaw: he");
    }

    @Test
    void streamWithoutAnAgentShouldUseTheWebhookAndAnswerInOnePiece() {
        String reply = runtime(null).stream(request("msg-1", "hello", null), this.deltas::add);

        assertThat(reply).isEqualTo("zeroclaw: hello (turn 1)");
        assertThat(this.deltas).containsExactly(reply);
        assertThat(this.chat.upgrades).hasValue(0);
        assertThat(this.zeroclaw.webhookCalls)
                .singleElement()
                .satisfies((call) -> assertThat(call.idempotencyKey()).isEqualTo("msg-1"));
    }

    @Test
    void streamOverTheWebhookWhenAbortedDuringTheCallShouldCancelTheExchangeAndFailSayingAborted() {
        this.zeroclaw.modelDelay(Duration.ofSeconds(20));
        RuntimeRequest request = request("msg-1", "slow", null);

        CompletableFuture<String> reply = streamAsync(runtime(null), request);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.zeroclaw.webhookCalls.isEmpty());
        request.abort().abort("canceled by the operator");

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RunAbortedException.class)
                .withMessage("zeroclaw runtime failed: aborted: canceled by the operator");
        assertThat(this.deltas).isEmpty();
    }

    @Test
    void streamWhenZeroClawHasNoWsChatShouldFallBackToTheWebhookAndStopTrying() {
        this.chat.enabled = false;
        ZeroClawRuntime runtime = runtime("coder");

        String first = runtime.stream(request("msg-1", "one", "chat-2"), this.deltas::add);
        String second = runtime.stream(request("msg-2", "two", "chat-2"), (piece) -> {});

        assertThat(first).isEqualTo("zeroclaw: one (turn 1)");
        assertThat(this.deltas).containsExactly(first);
        assertThat(second).isEqualTo("zeroclaw: two (turn 2)");
        assertThat(this.chat.upgrades).hasValue(1);
        assertThat(this.zeroclaw.webhookCalls).hasSize(2);
    }

    @Test
    void streamWhenZeroClawForgotThePairingShouldPairAgainAndStream() {
        ZeroClawRuntime runtime = runtime("coder");
        runtime.stream(request("msg-1", "one", null), (piece) -> {});
        this.zeroclaw.forgetTokens();

        String reply = runtime.stream(request("msg-2", "two", null), this.deltas::add);

        assertThat(reply).isEqualTo("zeroclaw: two (turn 1)").isEqualTo(String.join("", this.deltas));
        assertThat(this.zeroclaw.pairings).hasValue(2);
        assertThat(this.zeroclaw.webhookCalls).isEmpty();
    }

    @Test
    void streamWhenZeroClawIsDownShouldSayItIsNotReachable() {
        ZeroClawRuntime runtime = runtime("coder");
        runtime.stream(request("msg-1", "one", null), (piece) -> {});
        this.zeroclaw.close();

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.stream(request("msg-2", "two", null), this.deltas::add))
                .withMessageContaining("not reachable");
    }

    private ZeroClawRuntime runtime(@Nullable String agent) {
        return new ZeroClawRuntime(
                new ZeroClawSettings(
                        URI.create(this.zeroclaw.url()),
                        null,
                        agent,
                        this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE)),
                this.http,
                Clock.systemUTC());
    }

    private CompletableFuture<String> streamAsync(ZeroClawRuntime runtime, RuntimeRequest request) {
        return CompletableFuture.supplyAsync(() -> runtime.stream(request, this.deltas::add), this.callers);
    }

    private static RuntimeRequest request(String id, String content, @Nullable String sessionKey) {
        return new RuntimeRequest(id, content, "test", sessionKey, Instant.now().plus(Duration.ofSeconds(30)));
    }
}
