package io.clawmesh.agent.runtime.openclaw;

import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.TOKEN;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.request;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.openclaw.OpenClawSettings.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code stream()} and aborts over the gateway WebSocket, against the fake gateway over real sockets. */
class OpenClawStreamingTests {

    private FakeOpenClawGateway gateway;

    private final List<OpenClawRuntime> runtimes = new ArrayList<>();

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        this.gateway = new FakeOpenClawGateway(TOKEN).start();
    }

    @AfterEach
    void stopAll() {
        this.gateway.releaseRuns();
        this.callers.shutdownNow();
        this.runtimes.forEach(OpenClawRuntime::close);
        this.gateway.close();
    }

    @Test
    void streamShouldPassWhatEachAssistantEventAddsAsItArrivesAndAnswerTheirConcatenation() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;

        CompletableFuture<String> reply = streamAsync(runtime, request("msg-1", "hello mesh", "conv-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());

        assertThat(this.deltas).containsExactly("echo: he");
        assertThat(reply).isNotDone();
        assertThat(this.gateway.runs.get("msg-1").done).isNotDone();
        this.gateway.releaseRuns();
        assertThat(reply.join()).isEqualTo("echo: hello mesh").isEqualTo(String.join("", this.deltas));
        assertThat(this.deltas).containsExactly("echo: he", "llo mesh");
    }

    @Test
    void streamWhenTheGatewayCorrectsStreamedTextShouldAnswerTheStreamedTextSoTheContractHolds() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.correctedReplies = true;

        String reply = runtime.stream(request("msg-1", "marker", null), this.deltas::add);

        assertThat(reply).isEqualTo(String.join("", this.deltas));
        assertThat(reply).isEqualTo("echo: marker" + FakeOpenClawGateway.INTERNAL_MARKER);
    }

    @Test
    void sendWhenTheGatewayCorrectsStreamedTextShouldAnswerTheCorrectedFinalText() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.correctedReplies = true;

        assertThat(runtime.send(request("msg-1", "marker", null))).isEqualTo("echo: marker");
    }

    @Test
    void streamWhenAbortedMidRunShouldSendChatAbortAndFailSayingAborted() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        RuntimeRequest request = request("msg-1", "hello mesh", "conv-1");

        CompletableFuture<String> reply = streamAsync(runtime, request);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());
        request.abort().abort("canceled by the operator");

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RunAbortedException.class)
                .withMessage("openclaw runtime failed: aborted: canceled by the operator");
        assertThat(this.gateway.aborts).singleElement().satisfies((params) -> {
            assertThat(params.path("runId").asString()).isEqualTo("msg-1");
            assertThat(params.path("sessionKey").asString()).isEqualTo("agent:main:conv-1");
        });
        assertThat(this.gateway.runs.get("msg-1").status).isEqualTo(FakeRun.Status.ABORTED);
        assertThat(this.deltas).containsExactly("echo: he");
    }

    @Test
    void streamWhenAbortedWhileTheGatewayIsAwayShouldEndPromptlyWithoutWaitingForTheDeadline() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        RuntimeRequest request = request("msg-1", "hello mesh", null, Duration.ofSeconds(60));

        CompletableFuture<String> reply = streamAsync(runtime, request);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());
        this.gateway.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> !runtime.info().connected());
        request.abort().abort("timed out");

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RunAbortedException.class)
                .withMessageContaining("aborted: timed out");
    }

    @Test
    void streamWhenAbortedBeforeItStartsShouldFailWithoutRunningAnything() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        RuntimeRequest request = request("msg-1", "hello", null);
        request.abort().abort("canceled before dispatch");

        assertThatExceptionOfType(RunAbortedException.class)
                .isThrownBy(() -> runtime.stream(request, this.deltas::add))
                .withMessageContaining("aborted: canceled before dispatch");
        assertThat(this.gateway.methods).doesNotContain("agent");
        assertThat(this.gateway.runs).isEmpty();
    }

    @Test
    void streamWhenTheRunEndsAbortedOnTheGatewayMidStreamShouldFailAfterThePiecesBeforeIt() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;

        CompletableFuture<String> reply = streamAsync(runtime, request("msg-1", "hello mesh", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.deltas.isEmpty());
        FakeRun run = this.gateway.runs.get("msg-1");
        run.status = FakeRun.Status.ABORTED; // someone else aborted it on the gateway
        run.release();

        assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> reply.orTimeout(5, TimeUnit.SECONDS).join())
                .havingCause()
                .isInstanceOf(RuntimeFailureException.class)
                .isNotInstanceOf(RunAbortedException.class)
                .withMessageContaining("was aborted on the gateway");
        assertThat(this.deltas).containsExactly("echo: he");
    }

    @Test
    void streamOverHttpShouldAnswerInOnePiece() {
        OpenClawRuntime runtime = runtime(this.gateway, Transport.HTTP, TOKEN);
        this.runtimes.add(runtime);

        String reply = runtime.stream(request("msg-1", "over http", "conv-h"), this.deltas::add);

        assertThat(reply).isEqualTo("echo: over http");
        assertThat(this.deltas).containsExactly(reply);
    }

    @Test
    void streamOverHttpWhenAbortedBeforeItStartsShouldFailWithoutCallingTheGateway() {
        OpenClawRuntime runtime = runtime(this.gateway, Transport.HTTP, TOKEN);
        this.runtimes.add(runtime);
        RuntimeRequest request = request("msg-1", "over http", "conv-h");
        request.abort().abort("canceled");

        assertThatExceptionOfType(RunAbortedException.class)
                .isThrownBy(() -> runtime.stream(request, this.deltas::add))
                .withMessageContaining("aborted: canceled");
        assertThat(this.gateway.httpSessionKeys).isEmpty();
    }

    private OpenClawRuntime connected(Transport transport) {
        OpenClawRuntime runtime = runtime(this.gateway, transport, TOKEN);
        this.runtimes.add(runtime);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.info().connected());
        return runtime;
    }

    private CompletableFuture<String> streamAsync(OpenClawRuntime runtime, RuntimeRequest request) {
        return CompletableFuture.supplyAsync(() -> runtime.stream(request, this.deltas::add), this.callers);
    }
}
