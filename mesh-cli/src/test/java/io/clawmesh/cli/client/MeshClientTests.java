package io.clawmesh.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clawmesh.cli.FakeCoordinator;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The plain {@code HttpURLConnection} path of an http:// coordinator (ADR 0016) keeps what the JDK client did: the
 * token, no redirect followed, no {@code text/html} asked for, and a connect timeout named as one.
 */
class MeshClientTests {

    @Test
    void callOverHttpShouldSendTheTokenAndAskForNoHtml() throws Exception {
        try (FakeCoordinator coordinator = new FakeCoordinator()) {
            coordinator.json("GET", "/actuator/info", 200, "{\"build\":{\"version\":\"1.2.3\"}}");

            assertThat(client(coordinator.url(), FakeCoordinator.TOKEN).info()).containsKey("build");

            FakeCoordinator.Request request = coordinator.last("GET", "/actuator/info");
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + FakeCoordinator.TOKEN);
            assertThat(request.header("Accept")).doesNotContain("text/html");
        }
    }

    @Test
    void callOverHttpShouldFollowNoRedirect() throws Exception {
        try (FakeCoordinator coordinator = new FakeCoordinator()) {
            coordinator.answer("GET", "/actuator/info", (exchange, request) -> {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
                FakeCoordinator.send(exchange, 302, "text/plain", "moved");
            });
            coordinator.json("GET", "/elsewhere", 200, "{\"build\":{\"version\":\"forged\"}}");

            try {
                client(coordinator.url(), FakeCoordinator.TOKEN).info();
            } catch (RuntimeException ex) {
                // what a 302 turns into does not matter here, only that it is not followed
            }

            assertThat(coordinator.requests())
                    .extracting(FakeCoordinator.Request::path)
                    .containsExactly("/actuator/info");
        }
    }

    @Test
    void callWhenTheConnectionIsNotAcceptedInTimeShouldSaySoWithExitThree() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            // a listener that never accepts, its backlog full: the kernel drops further connection attempts
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(loopback, server.getLocalPort()), 300);
                    queued.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    break;
                }
            }

            CliException ex = catchThrowableOfType(
                    CliException.class,
                    () -> client("http://127.0.0.1:" + server.getLocalPort(), null)
                            .info());

            assertThat(ex.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(ex.getMessage()).contains("(no connection within 5s)");
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    private static MeshClient client(String url, @Nullable String token) {
        ConnectionSettings settings =
                new ConnectionSettings(URI.create(url), token, "--token", Path.of("/nonexistent"), false, null, null);
        return new MeshClient(settings, RestClient.builder(), MeshClients.READ_TIMEOUT);
    }
}
