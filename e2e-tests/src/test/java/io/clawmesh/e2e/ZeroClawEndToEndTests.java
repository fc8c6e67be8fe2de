package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.agent.runtime.zeroclaw.FakeZeroClaw;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RuntimeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * A node on ZeroClaw, end to end: a coordinator and an agent jar started with {@code --mesh.agent.runtime=zeroclaw}
 * as separate JVMs, and a protocol-faithful ZeroClaw gateway ({@link FakeZeroClaw}) served from this JVM on loopback.
 * The agent pairs by itself; routed messages reach ZeroClaw with their id and session; losing ZeroClaw makes the node
 * degraded (skipped by automatic routing, still reachable as an explicit target) until it is back. Joining also
 * seed-syncs the coordinator's shared OpenClaw config and identity files into the agent's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroClawEndToEndTests {

    private MeshCluster cluster;

    private FakeZeroClaw zeroclaw;

    private int zeroclawPort;

    private RestClient api;

    private Path agentDataDir;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.zeroclaw = FakeZeroClaw.start();
        this.zeroclawPort = this.zeroclaw.port();
        this.cluster = new MeshCluster(workDir);
        Path shared =
                Files.createDirectories(this.cluster.coordinatorOpenClawDir().resolve("workspace/memory"));
        Files.writeString(
                this.cluster.coordinatorOpenClawDir().resolve("openclaw.json"),
                "{ gateway: { auth: { token: 'coordinator-only' } }, agents: { defaults: { model: { primary: 'p/m' } } } }");
        Files.writeString(shared.resolveSibling("SOUL.md"), "the mesh's soul");
        Files.writeString(shared.resolve("2026-11-24.md"), "a memory");
        MeshProcess coordinator = this.cluster.startCoordinator(MeshCluster.freePort());
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        this.cluster.startAgent(
                "zc-node",
                MeshCluster.freePort(),
                coordinator.port(),
                "zeroclaw",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=zeroclaw",
                        "--mesh.agent.gateway-endpoint=127.0.0.1:" + this.zeroclawPort));
        this.agentDataDir = this.cluster.identityFile("zc-node").getParent();
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
        if (this.zeroclaw != null) {
            this.zeroclaw.close();
        }
    }

    @Test
    @Order(1)
    void nodeRegistersWithAConnectedZeroClawRuntime() {
        NodeView node = awaitNode(NodeStatus.ONLINE);

        assertThat(node.runtime()).isEqualTo(new RuntimeInfo("zeroclaw", null, true));
    }

    @Test
    @Order(2)
    void routedMessagesReachZeroClawWithTheirIdAndSessionAfterZeroTouchPairing() throws Exception {
        RouteResponse first = route(null, "hello", "e2e-chat");
        RouteResponse second = route(null, "again", "e2e-chat");

        assertThat(first.response()).isEqualTo("zeroclaw: hello (turn 1)");
        assertThat(second.response()).as("one session, one conversation").isEqualTo("zeroclaw: again (turn 2)");
        assertThat(first.nodeName()).isEqualTo("zc-node");
        assertThat(this.zeroclaw.pairings).hasValue(1);
        assertThat(this.zeroclaw.webhookCalls)
                .extracting(FakeZeroClaw.Call::idempotencyKey)
                .containsExactly(first.messageId(), second.messageId());
        assertThat(this.zeroclaw.webhookCalls).allSatisfy((call) -> {
            assertThat(call.sessionId()).isEqualTo("e2e-chat");
            assertThat(call.authorization()).startsWith("Bearer zc_");
        });
        Path token = this.agentDataDir.resolve("zeroclaw-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
    }

    @Test
    @Order(3)
    void joiningSyncedTheCoordinatorsSharedConfigAndIdentityFiles() {
        Path openclaw = this.cluster.agentOpenClawDir("zc-node");
        Awaitility.await("seed sync")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Files.isRegularFile(openclaw.resolve("workspace/memory/2026-11-24.md")));

        assertThat(openclaw.resolve("workspace/SOUL.md")).content().isEqualTo("the mesh's soul");
        assertThat(openclaw.resolve("workspace/memory/2026-11-24.md")).content().isEqualTo("a memory");
        assertThat(openclaw.resolve("openclaw.json"))
                .content()
                .contains("\"primary\" : \"p/m\"")
                .doesNotContain("coordinator-only");
    }

    @Test
    @Order(4)
    void aZeroClawWithoutAModelAnswers502NamingTheRuntimeAndTheFix() {
        this.zeroclaw.needsQuickstart(true);
        try {
            RestClientResponseException refused = routeExpectingFailure("zc-node", "anyone there?");

            assertThat(refused.getStatusCode().value()).isEqualTo(502);
            assertThat(refused.getResponseBodyAsString())
                    .contains("zeroclaw runtime failed")
                    .contains("needs_quickstart")
                    .contains("zeroclaw quickstart");
        } finally {
            this.zeroclaw.needsQuickstart(false);
        }
    }

    @Test
    @Order(5)
    void lostZeroClawMakesTheNodeDegradedSkippedAutomaticallyButReachableExplicitly() {
        this.zeroclaw.close();
        NodeView node = awaitNode(NodeStatus.DEGRADED);
        assertThat(node.runtime().connected()).isFalse();

        RestClientResponseException automatic = routeExpectingFailure(null, "auto");
        assertThat(automatic.getStatusCode().value()).isEqualTo(503);
        assertThat(automatic.getResponseBodyAsString()).contains("degraded");

        RestClientResponseException explicit = routeExpectingFailure("zc-node", "explicit");
        assertThat(explicit.getStatusCode().value())
                .as("the explicit target is tried, and its runtime failure reported")
                .isEqualTo(502);
        assertThat(explicit.getResponseBodyAsString())
                .contains("zeroclaw runtime failed")
                .contains("not reachable");
    }

    @Test
    @Order(6)
    void zeroClawBackWithItsPairingsResetBringsTheNodeBackAndPairsAgain() {
        this.zeroclaw = FakeZeroClaw.start(this.zeroclawPort);
        awaitNode(NodeStatus.ONLINE);

        RouteResponse reply = route(null, "back", "e2e-chat");

        assertThat(reply.response()).isEqualTo("zeroclaw: back (turn 1)");
        assertThat(this.zeroclaw.pairings)
                .as("the new gateway forgot the old token")
                .hasValue(1);
    }

    private NodeView awaitNode(NodeStatus status) {
        return Awaitility.await("zc-node " + status.wireName())
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(250))
                .until(this::node, (node) -> node != null && node.status() == status);
    }

    private @Nullable NodeView node() {
        NodeView[] nodes = this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class);
        for (NodeView node : nodes) {
            if (node.name().equals("zc-node")) {
                return node;
            }
        }
        return null;
    }

    private RouteResponse route(@Nullable String node, String content, @Nullable String sessionKey) {
        return this.api
                .post()
                .uri((node != null) ? ApiPaths.ROUTE + "/" + node : ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest(content, null, sessionKey))
                .retrieve()
                .body(RouteResponse.class);
    }

    private RestClientResponseException routeExpectingFailure(@Nullable String node, String content) {
        try {
            RouteResponse unexpected = route(node, content, null);
            throw new AssertionError("expected a refusal, got " + unexpected + this.cluster.logs());
        } catch (RestClientResponseException ex) {
            return ex;
        }
    }
}
