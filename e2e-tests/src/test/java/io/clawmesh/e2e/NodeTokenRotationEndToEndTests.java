package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.common.audit.AuditPage;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node token rotation through the heartbeat reply with real processes (ADR 0014): a coordinator that rotates every
 * 3 s, an inbound agent and an outbound one heartbeating every second. Both keep heartbeating and serving across two
 * rotations, the token they registered with stops working, and an agent killed after a rotation comes back with the
 * rotated token from its {@code node.json} as the same node, without registering again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeTokenRotationEndToEndTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MeshCluster cluster;

    private int coordinatorPort;

    private RestClient api;

    private RestClient anonymous;

    @BeforeAll
    void startCoordinator(@TempDir Path workDir) throws IOException {
        this.cluster = new MeshCluster(workDir);
        this.coordinatorPort = MeshCluster.freePort();
        MeshProcess coordinator = this.cluster.startCoordinator(
                this.coordinatorPort,
                List.of("--mesh.security.node-token.rotation=3s", "--mesh.security.node-token.overlap=1s"));
        this.anonymous = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(coordinator.baseUrl())
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        this.api = this.anonymous
                .mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void inboundAndOutboundAgentsShouldKeepServingAcrossTwoRotationsAndSurviveARestartWithTheRotatedToken()
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String inbound = "rot-in-" + suffix;
        String outbound = "rot-out-" + suffix;
        int inboundPort = MeshCluster.freePort();
        this.cluster.startAgent(inbound, inboundPort, this.coordinatorPort, "", Map.of());
        MeshProcess outboundAgent = startOutbound(outbound);
        awaitOnline(inbound);
        awaitOnline(outbound);
        String inboundId = node(inbound).id();
        String outboundId = node(outbound).id();
        String firstInboundToken = storedToken(inbound);
        String firstOutboundToken = storedToken(outbound);

        awaitRotations(inboundId, 2);
        awaitRotations(outboundId, 2);

        assertRoutes(inbound);
        assertRoutes(outbound);
        assertThat(storedToken(inbound)).isNotEqualTo(firstInboundToken);
        assertThat(storedToken(outbound)).isNotEqualTo(firstOutboundToken);
        assertThat(seedStatus(storedToken(inbound)))
                .as("the token in node.json is one the coordinator accepts")
                .isNotIn(401, 403);
        assertThat(seedStatus(firstInboundToken))
                .as("the token the agent registered with, two rotations and the overlap later")
                .isEqualTo(401);
        assertThat(seedStatus(firstOutboundToken)).isEqualTo(401);

        Path log = Path.of("target", "e2e-logs", "agent-" + outbound + ".log");
        assertThat(Files.readString(log))
                .as("a rotation keeps the outbound connection open")
                .doesNotContain("the node registered again");

        // kill -9 right after a rotation: the agent resumes from node.json with the rotated token
        long logBefore = Files.size(log);
        int rotationsBefore = rotations(outboundId);
        Awaitility.await("another rotation of " + outbound)
                .atMost(Duration.ofSeconds(30))
                .until(() -> rotations(outboundId) > rotationsBefore);
        outboundAgent.kill();
        startOutbound(outbound);
        awaitRotations(outboundId, rotationsBefore + 2);
        awaitOnline(outbound);
        assertRoutes(outbound);
        String afterRestart = Files.readString(log).substring((int) logBefore);
        assertThat(afterRestart).contains("Resuming as node " + outboundId);
        assertThat(afterRestart)
                .as("no new registration: the rotated token was accepted")
                .doesNotContain("Registered with coordinator", "registering again");
        assertThat(nodes()).extracting(NodeView::name).containsOnlyOnce(outbound);
        assertThat(node(outbound).id()).isEqualTo(outboundId);
    }

    private MeshProcess startOutbound(String name) throws IOException {
        return this.cluster.startAgent(
                name,
                MeshCluster.freePort(),
                this.coordinatorPort,
                "",
                Map.of(),
                List.of("--mesh.agent.connect=outbound", "--mesh.agent.link.ping-interval=1s"));
    }

    private String storedToken(String agent) throws IOException {
        JsonNode identity = JSON.readTree(Files.readString(this.cluster.identityFile(agent)));
        return identity.get("token").asString();
    }

    /** A node-token call that does not heartbeat, so it cannot disturb the agent's own rotation. */
    private int seedStatus(String token) {
        return this.anonymous
                .get()
                .uri(ApiPaths.SEED_CONFIG)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();
    }

    private int rotations(String nodeId) {
        AuditPage page = Objects.requireNonNull(this.api
                .get()
                .uri(ApiPaths.AUDIT + "?action=node.token_rotate&limit=500")
                .retrieve()
                .body(AuditPage.class));
        return (int) page.entries().stream()
                .map(AuditEntry::actor)
                .filter(("node:" + nodeId)::equals)
                .count();
    }

    private void awaitRotations(String nodeId, int count) {
        Awaitility.await(count + " rotations of " + nodeId)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> rotations(nodeId) >= count);
    }

    private void assertRoutes(String name) {
        ResponseEntity<Map> answer = this.api
                .post()
                .uri(ApiPaths.ROUTE + "/" + name)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content", "after rotation"))
                .retrieve()
                .toEntity(Map.class);
        assertThat(answer.getStatusCode().value())
                .as(String.valueOf(answer.getBody()))
                .isEqualTo(200);
    }

    private List<NodeView> nodes() {
        return List.of(Objects.requireNonNull(
                this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class)));
    }

    private NodeView node(String name) {
        return nodes().stream()
                .filter((node) -> node.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private void awaitOnline(String name) {
        Awaitility.await(name + " online")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodes().stream()
                        .anyMatch((node) -> node.name().equals(name) && node.status() == NodeStatus.ONLINE));
    }
}
