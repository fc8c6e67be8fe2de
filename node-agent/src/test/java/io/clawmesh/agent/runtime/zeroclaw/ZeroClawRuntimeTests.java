package io.clawmesh.agent.runtime.zeroclaw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ZeroClaw adapter against {@link FakeZeroClaw} over real HTTP on 127.0.0.1. */
class ZeroClawRuntimeTests {

    private final FakeZeroClaw zeroclaw = FakeZeroClaw.start();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        this.zeroclaw.close();
    }

    @Test
    void sendWhenNotPairedShouldPairOnLoopbackAndKeepTheTokenForTheOwnerOnly() throws IOException {
        ZeroClawRuntime runtime = runtime(null, null);

        String reply = runtime.send(request("msg-1", "hello", null));

        assertThat(reply).isEqualTo("zeroclaw: hello (turn 1)");
        assertThat(this.zeroclaw.pairings).hasValue(1);
        Path tokenFile = this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE);
        assertThat(Files.readString(tokenFile)).startsWith("zc_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(this.zeroclaw.webhookCalls).singleElement().satisfies((call) -> {
            assertThat(call.authorization()).isEqualTo("Bearer " + Files.readString(tokenFile));
            assertThat(call.idempotencyKey()).isEqualTo("msg-1");
            assertThat(call.body()).isEqualTo("{\"message\":\"hello\"}");
        });
        assertThat(runtime.info().kind()).isEqualTo("zeroclaw");
        assertThat(runtime.info().connected()).isTrue();
    }

    @Test
    void sendAfterRestartShouldReuseTheStoredTokenWithoutPairingAgain() {
        runtime(null, null).send(request("msg-1", "one", null));

        String reply = runtime(null, null).send(request("msg-2", "two", null));

        assertThat(reply).isEqualTo("zeroclaw: two (turn 1)");
        assertThat(this.zeroclaw.pairings).hasValue(1);
    }

    @Test
    void sendWithOneSessionKeyShouldFormOneConversationAndNameTheAgent() {
        this.zeroclaw.agent("coder");
        ZeroClawRuntime runtime = runtime(null, "coder");

        runtime.send(request("msg-1", "first", "chat-7"));
        String second = runtime.send(request("msg-2", "second", "chat-7"));

        assertThat(second).isEqualTo("zeroclaw: second (turn 2)");
        assertThat(this.zeroclaw.session("chat-7")).containsExactly("first", "second");
        assertThat(this.zeroclaw.webhookCalls).allSatisfy((call) -> {
            assertThat(call.sessionId()).isEqualTo("chat-7");
            assertThat(call.agent()).isEqualTo("coder");
        });
    }

    @Test
    void sendWithSessionKeyOutsideZeroClawsAlphabetShouldUseAStableDigest() {
        ZeroClawRuntime runtime = runtime(null, null);

        runtime.send(request("msg-1", "a", "agent:main:telegram/42"));
        runtime.send(request("msg-2", "b", "agent:main:telegram/42"));

        String id = ZeroClawRuntime.sessionId("agent:main:telegram/42");
        assertThat(id).matches("mesh-[0-9a-f]{40}");
        assertThat(this.zeroclaw.session(id)).containsExactly("a", "b");
    }

    @Test
    void sendWithADuplicateMessageIdShouldNotRunItTwiceAndSaySo() {
        ZeroClawRuntime runtime = runtime(null, null);
        runtime.send(request("msg-dup", "once", null));

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-dup", "once", null)))
                .withMessageContaining("zeroclaw runtime failed")
                .withMessageContaining("already ran message msg-dup")
                .satisfies((ex) -> assertThat(ex.runtime()).isEqualTo("zeroclaw"));
        assertThat(this.zeroclaw.turns).hasValue(1);
    }

    @Test
    void sendWhenZeroClawTimesOutShouldExplainItsRequestTimeoutAndHowToRaiseIt() {
        this.zeroclaw.requestTimeout(Duration.ofMillis(200)).modelDelay(Duration.ofSeconds(5));

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(null, null).send(request("msg-1", "slow", null)))
                .withMessageContaining("408")
                .withMessageContaining("request_timeout_secs")
                .withMessageContaining("ZEROCLAW_gateway__request_timeout_secs=600");
    }

    @Test
    void sendWhenNoModelIsConfiguredShouldSayToRunQuickstart() {
        this.zeroclaw.needsQuickstart(true);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(null, null).send(request("msg-1", "hi", null)))
                .withMessageContaining("needs_quickstart")
                .withMessageContaining("zeroclaw quickstart");
    }

    @Test
    void sendWhenRateLimitedShouldSayWhenToRetry() {
        this.zeroclaw.rateLimitNext(1);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(null, null).send(request("msg-1", "hi", null)))
                .withMessageContaining("rate limit")
                .withMessageContaining("retry in 42 s");
    }

    @Test
    void pairingWhenLockedOutAfterFiveBadCodesShouldSayWhenToRetry() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(pairWith("000000x")).isEqualTo(403);
        }
        assertThat(pairWith(this.zeroclaw.pairingCode())).isEqualTo(429);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime(null, null).send(request("msg-1", "hi", null)))
                .withMessageContaining("locks pairing after 5 bad codes")
                .withMessageContaining("try again in 300 s");
        assertThat(this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE)).doesNotExist();
        assertThat(this.zeroclaw.turns).hasValue(0);
    }

    @Test
    void sendWhenTheGatewayForgotTheTokenShouldPairAgainOnce() {
        ZeroClawRuntime runtime = runtime(null, null);
        runtime.send(request("msg-1", "one", null));
        this.zeroclaw.forgetTokens();

        String reply = runtime.send(request("msg-2", "two", null));

        assertThat(reply).isEqualTo("zeroclaw: two (turn 1)");
        assertThat(this.zeroclaw.pairings).hasValue(2);
    }

    @Test
    void sendWithAWrongTokenOfTheUsersShouldNotPairAndSaySo() {
        ZeroClawRuntime runtime = new ZeroClawRuntime(
                new ZeroClawSettings(
                        URI.create(this.zeroclaw.url()),
                        "zc_wrong",
                        null,
                        this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE)),
                this.http,
                Clock.systemUTC());

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-1", "hi", null)))
                .withMessageContaining("401")
                .withMessageContaining("--gateway-token");
        assertThat(this.zeroclaw.pairings).hasValue(0);
    }

    @Test
    void sendWhenPairingIsNotRequiredShouldSendNoToken() {
        this.zeroclaw.requirePairing(false);

        String reply = runtime(null, null).send(request("msg-1", "open", null));

        assertThat(reply).isEqualTo("zeroclaw: open (turn 1)");
        assertThat(this.zeroclaw.webhookCalls)
                .singleElement()
                .satisfies((call) -> assertThat(call.authorization()).isNull());
    }

    @Test
    void sendWhenTheGatewayStartsRequiringPairingShouldPairThen() {
        this.zeroclaw.requirePairing(false);
        ZeroClawRuntime runtime = runtime(null, null);
        runtime.send(request("msg-1", "open", null));
        this.zeroclaw.requirePairing(true);

        String reply = runtime.send(request("msg-2", "closed", null));

        assertThat(reply).isEqualTo("zeroclaw: closed (turn 1)");
        assertThat(this.zeroclaw.pairings).hasValue(1);
    }

    @Test
    void sendOverZeroClawsBodyLimitShouldFailWithoutCallingIt() {
        ZeroClawRuntime runtime = runtime(null, null);

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-1", "x".repeat(70_000), null)))
                .withMessageContaining("at most 64 KiB");
        assertThat(this.zeroclaw.webhookCalls).isEmpty();
    }

    @Test
    void sendWhenNothingListensShouldFailNamingTheStartCommandAndReportDisconnected() {
        ZeroClawRuntime runtime = runtime(null, null);
        this.zeroclaw.close();

        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("msg-1", "hi", null)))
                .withMessageContaining("not reachable")
                .withMessageContaining("zeroclaw daemon");
        assertThat(runtime.info().connected()).isFalse();
    }

    @Test
    void isZeroClawShouldTellAZeroClawGatewayFromOtherServers() {
        assertThat(ZeroClawRuntime.isZeroClaw(URI.create(this.zeroclaw.url()), this.http))
                .isTrue();
        this.zeroclaw.close();
        assertThat(ZeroClawRuntime.isZeroClaw(URI.create(this.zeroclaw.url()), this.http))
                .isFalse();
    }

    private ZeroClawRuntime runtime(@Nullable String token, @Nullable String agent) {
        return new ZeroClawRuntime(
                new ZeroClawSettings(
                        URI.create(this.zeroclaw.url()),
                        token,
                        agent,
                        this.dataDir.resolve(ZeroClawSettings.TOKEN_FILE)),
                this.http,
                Clock.systemUTC());
    }

    private int pairWith(@Nullable String code) throws Exception {
        return this.http
                .send(
                        HttpRequest.newBuilder(URI.create(this.zeroclaw.url() + "/pair"))
                                .header("X-Pairing-Code", String.valueOf(code))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static RuntimeRequest request(String id, String content, @Nullable String sessionKey) {
        return new RuntimeRequest(id, content, "test", sessionKey, Instant.now().plus(Duration.ofSeconds(30)));
    }
}
