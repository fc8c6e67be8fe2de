package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Issue 14: an agent in a network namespace whose firewall drops every inbound connection (nftables, or iptables)
 * still serves routed messages, because it dials out (ADR 0010). The coordinator allows private endpoints, so it would
 * deliver over HTTP if it could: {@code --connect auto} finds the agent's port unreachable and chooses outbound.
 * Skipped, with the reason, where the machine has no root, no {@code ip netns} or no firewall tool.
 */
class FirewalledAgentEndToEndTests {

    @Test
    void anAgentBehindAFirewallThatDropsInboundConnectionsShouldStillServeRoutedMessages(@TempDir Path workDir)
            throws Exception {
        String unavailable = NetworkNamespace.unavailable();
        assumeTrue(unavailable == null, unavailable);
        try (NetworkNamespace namespace = NetworkNamespace.create();
                MeshCluster cluster = new MeshCluster(workDir)) {
            namespace.dropInbound();
            int coordinatorPort = MeshCluster.freePort();
            MeshProcess coordinator = cluster.startCoordinator(
                    coordinatorPort,
                    List.of("--server.address=" + namespace.hostAddress(), "--mesh.security.allow-private=true"));
            int agentPort = MeshCluster.freePort();
            cluster.startAgentInNamespace(
                    namespace.name(),
                    "walled",
                    agentPort,
                    List.of(
                            "--mesh.agent.coordinator-url=http://" + namespace.hostAddress() + ":" + coordinatorPort,
                            "--server.address=" + namespace.namespaceAddress(),
                            "--mesh.agent.endpoint=" + namespace.namespaceAddress() + ":" + agentPort,
                            "--mesh.agent.connect=auto",
                            "--mesh.agent.link.ping-interval=1s"));
            RestClient api = RestClient.builder()
                    .requestFactory(new JdkClientHttpRequestFactory())
                    .baseUrl(coordinator.baseUrl())
                    .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                    .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                    .build();

            Awaitility.await("walled online")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> walled(api) != null && walled(api).status() == NodeStatus.ONLINE);

            assertThat(walled(api).connect())
                    .as("the coordinator could not reach the agent's port, so auto chose outbound\n" + cluster.logs())
                    .isEqualTo(ConnectMode.OUTBOUND);
            assertThat(namespace.acceptsFromInside(namespace.namespaceAddress(), agentPort))
                    .as("the agent listens on its address: only the firewall keeps the host out")
                    .isTrue();
            assertThatExceptionOfType(SocketTimeoutException.class)
                    .as("the firewall drops connections to the agent's port (no refusal: silence)")
                    .isThrownBy(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(namespace.namespaceAddress(), agentPort), 1500);
                        }
                    });
            for (int i = 0; i < 5; i++) {
                ResponseEntity<Map> answer = api.post()
                        .uri(ApiPaths.ROUTE + "/walled")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("content", "through the firewall " + i))
                        .retrieve()
                        .toEntity(Map.class);
                assertThat(answer.getStatusCode().value())
                        .as(String.valueOf(answer.getBody()))
                        .isEqualTo(200);
                assertThat(String.valueOf(
                                Objects.requireNonNull(answer.getBody()).get("response")))
                        .contains("through the firewall " + i);
            }
        }
    }

    private static @Nullable NodeView walled(RestClient api) {
        NodeView[] nodes = api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class);
        if (nodes == null) {
            return null;
        }
        return List.of(nodes).stream()
                .filter((node) -> node.name().equals("walled"))
                .findFirst()
                .orElse(null);
    }
}
