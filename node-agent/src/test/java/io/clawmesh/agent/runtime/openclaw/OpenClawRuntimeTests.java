package io.clawmesh.agent.runtime.openclaw;

import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.TOKEN;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.request;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.openclaw.OpenClawSettings.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages as {@code agent} runs over the WebSocket, and over the HTTP fallback, against the fake gateway. */
class OpenClawRuntimeTests {

    private FakeOpenClawGateway gateway;

    private final List<OpenClawRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        this.gateway = new FakeOpenClawGateway(TOKEN).start();
    }

    @AfterEach
    void stopAll() {
        this.gateway.releaseRuns();
        this.runtimes.forEach(OpenClawRuntime::close);
        this.gateway.close();
    }

    @Test
    void sendShouldRunTheAgentWithTheMessageIdAsIdempotencyKeyAndAnswerTheModelsReply() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);

        String reply = runtime.send(request("msg-1", "hello mesh", "conv-1"));

        assertThat(reply).isEqualTo("echo: hello mesh");
        assertThat(this.gateway.runs).containsKey("msg-1");
        assertThat(this.gateway.runs.get("msg-1").sessionKey).isEqualTo("agent:main:conv-1");
        assertThat(this.gateway.modelCalls).hasValue(1);
    }

    @Test
    void sendWithOneSessionKeyShouldContinueOneConversationAndWithoutOneUseOneOffSessions() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);

        runtime.send(request("turn-1", "first", "conv-7"));
        String second = runtime.send(request("turn-2", "second", "conv-7"));
        runtime.send(request("lone-1", "alone", null));
        runtime.send(request("lone-2", "alone", null));

        assertThat(second).isEqualTo("echo: second (turn 2)");
        assertThat(this.gateway.sessionHistory.get("agent:main:conv-7")).containsExactly("first", "second");
        assertThat(this.gateway.runs.get("lone-1").sessionKey).isEqualTo("agent:main:explicit:lone-1");
        assertThat(this.gateway.runs.get("lone-2").sessionKey).isEqualTo("agent:main:explicit:lone-2");
    }

    @Test
    void sendShouldIgnoreTheAcceptedResAndWaitForTheFinalOneOnTheSameId() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;

        CompletableFuture<String> reply = sendAsync(runtime, "held-1", "wait for me");
        await().until(() -> this.gateway.runs.containsKey("held-1"));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !reply.isDone());
        this.gateway.releaseRuns();
        assertThat(reply.join()).isEqualTo("echo: wait for me");
    }

    @Test
    void sendWhenEventsOfOtherRunsInterleaveShouldAnswerOnlyItsOwnRunsReply() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.otherRunsInterleaved = true;

        assertThat(runtime.send(request("mine-1", "mine", null))).isEqualTo("echo: mine");
        assertThat(runtime.send(request("mine-2", "also mine", null))).isEqualTo("echo: also mine");
    }

    @Test
    void sendWhenTheSameIdIsInFlightShouldWaitWithAgentWaitAndRunTheModelOnce() {
        OpenClawRuntime first = connected(Transport.WEBSOCKET);
        OpenClawRuntime second = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;

        CompletableFuture<String> original = sendAsync(first, "dup-1", "only once");
        await().until(() -> this.gateway.runs.containsKey("dup-1"));
        CompletableFuture<String> duplicate = sendAsync(second, "dup-1", "only once");
        await().until(() -> this.gateway.methods.contains("agent.wait"));
        this.gateway.releaseRuns();

        assertThat(original.join()).isEqualTo("echo: only once");
        assertThat(duplicate.join()).isEqualTo("echo: only once");
        assertThat(this.gateway.modelCalls).hasValue(1);
    }

    @Test
    void sendWhenTheIdAlreadyFinishedShouldAnswerTheCachedReplyWithoutCallingTheModelAgain() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);

        String first = runtime.send(request("again-1", "once", null));
        String retried = runtime.send(request("again-1", "once", null));

        assertThat(retried).isEqualTo(first).isEqualTo("echo: once");
        assertThat(this.gateway.modelCalls).hasValue(1);
    }

    @Test
    void sendWhenTheConnectionDropsMidRunShouldRecoverTheRunWithAgentWaitAfterReconnecting() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        CompletableFuture<String> reply = sendAsync(runtime, "drop-1", "survive a drop");
        await().until(() -> this.gateway.runs.containsKey("drop-1"));

        this.gateway.dropConnections();
        // the run finishes on the gateway while the agent is disconnected; its final res is lost with the socket
        this.gateway.releaseRuns();

        assertThat(reply.join()).isEqualTo("echo: survive a drop");
        assertThat(this.gateway.methods).contains("agent.wait");
        assertThat(this.gateway.handshakes.get()).isGreaterThanOrEqualTo(2);
        assertThat(this.gateway.modelCalls).hasValue(1);
    }

    @Test
    void sendWhenTheGatewayRestartsMidRunShouldSubmitTheLostRunAgainUnderItsKey() throws Exception {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        CompletableFuture<String> reply = sendAsync(runtime, "restart-1", "survive a restart", "conv-restart");
        await().until(() -> this.gateway.runs.containsKey("restart-1"));

        this.gateway.kill();
        await().until(() -> !runtime.info().connected());
        this.gateway.holdRuns = false;
        this.gateway.start();

        // the fake keeps sessions across the restart like the real one (SQLite), so the model sees the lost turn too
        assertThat(reply.join()).startsWith("echo: survive a restart");
        assertThat(this.gateway.runs).containsOnlyKeys("restart-1");
        assertThat(this.gateway.modelCalls).as("the killed run and the new one").hasValue(2);
        assertThat(runtime.info().connected()).isTrue();
    }

    @Test
    void sendWhenTheGatewayLostAOneOffRunInARestartShouldRunItUnderADerivedKey() throws Exception {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        CompletableFuture<String> reply = sendAsync(runtime, "lost-1", "one-off");
        await().until(() -> this.gateway.runs.containsKey("lost-1"));

        this.gateway.kill();
        this.gateway.holdRuns = false;
        this.gateway.start();

        assertThat(reply.join()).isEqualTo("echo: one-off");
        assertThat(this.gateway.runs).containsOnlyKeys("lost-1:retry-1");
        assertThat(this.gateway.runs.get("lost-1:retry-1").sessionKey).isEqualTo("agent:main:explicit:lost-1:retry-1");
    }

    @Test
    void sendWhenTheGatewayResumesALostOneOffRunAfterItsRestartShouldFollowTheResumedRun() throws Exception {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;
        this.gateway.resumeLostRuns = true;
        CompletableFuture<String> reply = sendAsync(runtime, "resumed-1", "carry on");
        await().until(() -> this.gateway.runs.containsKey("resumed-1"));

        this.gateway.kill();
        this.gateway.holdRuns = false;
        this.gateway.start();

        assertThat(reply.join()).startsWith("echo: [Queued user message] carry on");
        assertThat(this.gateway.runs).hasSize(1).doesNotContainKey("resumed-1:retry-1");
        assertThat(this.gateway.modelCalls)
                .as("the killed run and the gateway's resumption only")
                .hasValue(2);
    }

    @Test
    void sendWhenTheGatewayAnswersUnavailableShouldSubmitAgainUntilItIsAccepted() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.unavailableAnswers.set(2);

        assertThat(runtime.send(request("busy-1", "try again", null))).isEqualTo("echo: try again");
        assertThat(this.gateway.methods.stream().filter("agent"::equals)).hasSize(3);
        assertThat(this.gateway.modelCalls).hasValue(1);
    }

    @Test
    void sendWhenTheDeadlinePassesShouldCancelTheRunWithChatAbortAndFail() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);
        this.gateway.holdRuns = true;

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("slow-1", "too slow", "conv-slow", Duration.ofMillis(500))))
                .withMessageContaining("no reply to run slow-1 within the gateway timeout")
                .withMessageContaining("cancelled with chat.abort")
                .satisfies((ex) -> assertThat(ex.runtime()).isEqualTo("openclaw"));
        assertThat(this.gateway.aborts).singleElement().satisfies((abort) -> {
            assertThat(abort.path("runId").asString()).isEqualTo("slow-1");
            assertThat(abort.path("sessionKey").asString()).isEqualTo("agent:main:conv-slow");
        });
        await().until(() -> this.gateway.runs.get("slow-1").status == FakeRun.Status.ABORTED);
    }

    @Test
    void sendWhenTheGatewayRefusesTheAgentRequestShouldFailWithItsMessage() {
        OpenClawRuntime runtime = connected(Transport.WEBSOCKET);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("", "no key", null)))
                .withMessageContaining("INVALID_REQUEST")
                .withMessageContaining("idempotencyKey");
    }

    @Test
    void sendOverHttpShouldPostChatCompletionsWithTheBearerTokenAndTheSessionHeader() {
        OpenClawRuntime runtime = connected(Transport.HTTP);

        String reply = runtime.send(request("http-1", "over http", "conv-http"));

        assertThat(reply).isEqualTo("echo: over http");
        assertThat(this.gateway.httpSessionKeys).containsExactly("conv-http");
        assertThat(this.gateway.sessions).as("no WebSocket in http mode").isEmpty();
    }

    @Test
    void sendOverHttpWhenTheEndpointIsDisabledShouldSaySo() {
        OpenClawRuntime runtime = connected(Transport.HTTP);
        this.gateway.chatCompletionsEnabled = false;

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("http-2", "over http", null)))
                .withMessageContaining("404")
                .withMessageContaining("endpoint is disabled")
                .withMessageContaining("gateway.http.endpoints.chatCompletions.enabled");
    }

    @Test
    void sendOverHttpWithAWrongTokenShouldSayTheTokenWasRejected() {
        OpenClawRuntime runtime = runtime(this.gateway, Transport.HTTP, "wrong-token");
        this.runtimes.add(runtime);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("http-3", "over http", null)))
                .withMessageContaining("401")
                .withMessageContaining("rejected the token");
    }

    @Test
    void sendInAutoModeWhenTheWebSocketCannotBeEstablishedShouldFallBackToHttp() {
        this.gateway.webSocketEnabled = false;
        OpenClawRuntime runtime = runtime(this.gateway, Transport.AUTO, TOKEN);
        this.runtimes.add(runtime);
        await().until(() -> runtime.lastConnectionFailure() != null);
        await().until(() -> runtime.info().connected());

        String reply = runtime.send(request("auto-1", "fallback", "conv-auto"));

        assertThat(reply).isEqualTo("echo: fallback");
        assertThat(runtime.lastConnectionFailure().failure())
                .isEqualTo(GatewayHandshakeException.Failure.NOT_WEBSOCKET);
        assertThat(this.gateway.httpSessionKeys).containsExactly("conv-auto");
    }

    @Test
    void sendInAutoModeWhenFallbackIsDisabledShouldExplainBoth() {
        this.gateway.webSocketEnabled = false;
        this.gateway.chatCompletionsEnabled = false;
        OpenClawRuntime runtime = runtime(this.gateway, Transport.AUTO, TOKEN);
        this.runtimes.add(runtime);
        await().until(() -> runtime.info().connected());

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("auto-2", "fallback", null)))
                .withMessageContaining("refused the WebSocket upgrade")
                .withMessageContaining("endpoint is disabled");
    }

    private OpenClawRuntime connected(Transport transport) {
        OpenClawRuntime runtime = runtime(this.gateway, transport, TOKEN);
        this.runtimes.add(runtime);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.info().connected());
        return runtime;
    }

    private static CompletableFuture<String> sendAsync(OpenClawRuntime runtime, String id, String content) {
        return sendAsync(runtime, id, content, null);
    }

    private static CompletableFuture<String> sendAsync(
            OpenClawRuntime runtime, String id, String content, @Nullable String sessionKey) {
        return CompletableFuture.supplyAsync(
                () -> runtime.send(request(id, content, sessionKey)),
                (task) -> Thread.ofVirtual().start(task));
    }
}
