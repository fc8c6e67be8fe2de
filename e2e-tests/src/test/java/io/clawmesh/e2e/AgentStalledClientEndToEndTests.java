package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A stranger that opens connections to an agent and never finishes its request (half a header line, "slowloris") is
 * disconnected after {@code mesh.agent.request-read-timeout}, and the agent keeps serving the coordinator meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentStalledClientEndToEndTests {

    private static final int STALLED_CONNECTIONS = 20;

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private MeshProcess agent;

    private @Nullable RestClient api;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.cluster = new MeshCluster(workDir);
        this.coordinator = this.cluster.startCoordinator(MeshCluster.freePort());
        this.agent = this.cluster.startAgent(
                "stalled",
                MeshCluster.freePort(),
                this.coordinator.port(),
                "edge",
                Map.of(),
                List.of("--mesh.agent.request-read-timeout=2s"));
        Awaitility.await("the agent online")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Arrays.stream(
                                api().get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class))
                        .anyMatch((node) -> node.status() == NodeStatus.ONLINE));
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void stalledRequestsShouldBeDisconnectedWhileMessagesStillGetThrough() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED_CONNECTIONS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.agent.port());
                socket.getOutputStream()
                        .write(("POST " + ApiPaths.AGENT_MESSAGES + " HTTP/1.1\r\nHost: agent\r\nX-Slow: ")
                                .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }

            RouteResponse answer = route("still served while " + STALLED_CONNECTIONS + " requests stall");
            assertThat(answer.response()).isEqualTo("[claw-mesh echo] still served while 20 requests stall");

            long start = System.nanoTime();
            for (Socket socket : stalled) {
                assertThat(closedByPeer(socket, Duration.ofSeconds(10)))
                        .as("the agent hung up on a request that never finished")
                        .isTrue();
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).as("disconnected after about the 2 s timeout").isLessThan(Duration.ofSeconds(8));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertThat(route("and after").response()).isEqualTo("[claw-mesh echo] and after");
    }

    /** The operator's client of the coordinator, built once. */
    private RestClient api() {
        if (this.api == null) {
            this.api = RestClient.builder()
                    .requestFactory(new JdkClientHttpRequestFactory())
                    .baseUrl(this.coordinator.baseUrl())
                    .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                    .build();
        }
        return this.api;
    }

    private RouteResponse route(String content) {
        return api().post()
                .uri(ApiPaths.ROUTE + "/stalled")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest(content))
                .retrieve()
                .body(RouteResponse.class);
    }

    /** Whether the peer closed the connection (end of stream, or a reset) within {@code limit}, sending nothing. */
    private static boolean closedByPeer(Socket socket, Duration limit) throws Exception {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException ex) {
            return false;
        } catch (java.net.SocketException ex) {
            return true;
        }
    }
}
