package io.clawmesh.agent.runtime.openclaw;

import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.TOKEN;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.request;
import static io.clawmesh.agent.runtime.openclaw.OpenClawFixtures.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.openclaw.GatewayHandshakeException.Failure;
import io.clawmesh.agent.runtime.openclaw.OpenClawSettings.Transport;
import io.clawmesh.common.node.RuntimeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The WebSocket handshake, its distinct failures, liveness and reconnects against the fake gateway. */
class OpenClawConnectionTests {

    private FakeOpenClawGateway gateway;

    private final List<OpenClawRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        this.gateway = new FakeOpenClawGateway(TOKEN).start();
    }

    @AfterEach
    void stopAll() {
        this.runtimes.forEach(OpenClawRuntime::close);
        this.gateway.close();
    }

    @Test
    void startShouldAnswerTheChallengeWithProtocolRangeBackendClientOperatorRoleExplicitScopesAndToken() {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);

        await().until(() -> runtime.info().connected());
        JsonNode connect = this.gateway.connectParams.getFirst();
        assertThat(connect.path("minProtocol").asInt()).isEqualTo(3);
        assertThat(connect.path("maxProtocol").asInt()).isEqualTo(4);
        assertThat(connect.path("client").path("id").asString()).isEqualTo("gateway-client");
        assertThat(connect.path("client").path("mode").asString()).isEqualTo("backend");
        assertThat(connect.path("client").path("version").asString()).isNotBlank();
        assertThat(connect.path("client").path("platform").asString()).isNotBlank();
        assertThat(connect.path("role").asString()).isEqualTo("operator");
        assertThat(connect.path("scopes").valueStream().map(JsonNode::asString))
                .containsExactly("operator.read", "operator.write", "operator.admin");
        assertThat(connect.path("auth").path("token").asString()).isEqualTo(TOKEN);
        assertThat(runtime.info()).isEqualTo(new RuntimeInfo("openclaw", FakeOpenClawGateway.VERSION, true));
    }

    @Test
    void startWhenTokenIsWrongShouldFailAsTokenRejectedAndReportNotConnected() {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, "wrong-token");

        await().until(() -> runtime.lastConnectionFailure() != null);
        assertThat(runtime.lastConnectionFailure().failure()).isEqualTo(Failure.TOKEN_REJECTED);
        assertThat(runtime.lastConnectionFailure().getMessage())
                .contains("rejected the token", "gateway token mismatch", "close code 1008");
        assertThat(runtime.info().connected()).isFalse();
        assertThatExceptionOfType(RuntimeFailureException.class)
                .isThrownBy(() -> runtime.send(request("m-1", "hello", null, Duration.ofSeconds(1))))
                .withMessageContaining("not connected to the OpenClaw gateway")
                .withMessageContaining("rejected the token");
        assertThat(this.gateway.modelCalls).hasValue(0);
    }

    @Test
    void startWhenGatewaySpeaksAnotherProtocolShouldFailAsProtocolMismatch() {
        this.gateway.protocol = 5;

        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);

        await().until(() -> runtime.lastConnectionFailure() != null);
        assertThat(runtime.lastConnectionFailure().failure()).isEqualTo(Failure.PROTOCOL_MISMATCH);
        assertThat(runtime.lastConnectionFailure().getMessage()).contains("protocol versions 3-4", "close code 1002");
        assertThat(runtime.info().connected()).isFalse();
    }

    @Test
    void startWhenConnectIsNotAnsweredWithHelloOkShouldFailAsNoHello() {
        this.gateway.answerWithHello = false;

        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);

        await().until(() -> runtime.lastConnectionFailure() != null);
        assertThat(runtime.lastConnectionFailure().failure()).isEqualTo(Failure.NO_HELLO);
        assertThat(runtime.lastConnectionFailure().getMessage()).contains("without hello-ok");
        assertThat(runtime.info().connected()).isFalse();
    }

    @Test
    void startWhenNoTokenIsKnownShouldFailAsPairingRequired() {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, null);

        await().until(() -> runtime.lastConnectionFailure() != null);
        assertThat(runtime.lastConnectionFailure().failure()).isEqualTo(Failure.PAIRING_REQUIRED);
        assertThat(runtime.lastConnectionFailure().getMessage()).contains("mesh.agent.gateway-token");
    }

    @Test
    void linkWhenTicksStopShouldDropTheDeadConnectionAndReconnect() {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);
        await().until(() -> runtime.info().connected());
        assertThat(this.gateway.handshakes).hasValue(1);

        this.gateway.ticking = false;

        // two tick intervals (2 x 200 ms) of silence make the link dead; the fake keeps accepting, so it reconnects
        await().atMost(Duration.ofSeconds(5)).until(() -> this.gateway.handshakes.get() >= 2);
        this.gateway.ticking = true;
        await().until(() -> runtime.info().connected());
    }

    @Test
    void infoWhileGatewayIsDownShouldSayNotConnectedAndRecoverWhenItIsBack() throws Exception {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);
        await().until(() -> runtime.info().connected());

        this.gateway.kill();

        await().until(() -> !runtime.info().connected());
        assertThat(runtime.info().kind()).isEqualTo("openclaw");
        await().until(() -> runtime.lastConnectionFailure() != null);
        assertThat(runtime.lastConnectionFailure().failure()).isEqualTo(Failure.UNREACHABLE);

        this.gateway.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.info().connected());
        assertThat(runtime.send(request("m-after-restart", "back again", null))).isEqualTo("echo: back again");
    }

    @Test
    void closeShouldCloseTheWebSocket() {
        OpenClawRuntime runtime = start(Transport.WEBSOCKET, TOKEN);
        await().until(() -> runtime.info().connected());
        assertThat(this.gateway.sessions).hasSize(1);

        runtime.close();

        await().until(() -> this.gateway.sessions.isEmpty());
        assertThat(runtime.isRunning()).isFalse();
        assertThat(runtime.info().connected()).isFalse();
    }

    @Test
    void infoOverHttpShouldFollowHealthz() throws Exception {
        OpenClawRuntime runtime = start(Transport.HTTP, TOKEN);
        await().until(() -> runtime.info().connected());
        assertThat(this.gateway.sessions).as("no WebSocket in http mode").isEmpty();

        this.gateway.kill();
        await().until(() -> !runtime.info().connected());

        this.gateway.start();
        await().until(() -> runtime.info().connected());
    }

    private OpenClawRuntime start(Transport transport, @Nullable String token) {
        OpenClawRuntime runtime = runtime(this.gateway, transport, token);
        this.runtimes.add(runtime);
        return runtime;
    }
}
