package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
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

/**
 * The metrics of SPEC §13 as Prometheus sees them: a coordinator and two agents as real processes, ten routed
 * messages, then each app's {@code /actuator/prometheus} scraped and its mesh meters checked by value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndToEndTests {

    private static final List<String> AGENTS = List.of("metrics-a", "metrics-b");

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private final Map<String, MeshProcess> agents = new java.util.LinkedHashMap<>();

    private RestClient api;

    private final RestClient plain = RestClient.builder()
            .requestFactory(new JdkClientHttpRequestFactory())
            .build();

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.cluster = new MeshCluster(workDir);
        this.coordinator = this.cluster.startCoordinator(MeshCluster.freePort());
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        for (String name : AGENTS) {
            this.agents.put(
                    name,
                    this.cluster.startAgent(
                            name, MeshCluster.freePort(), this.coordinator.port(), "metrics", Map.of()));
        }
        Awaitility.await("both agents online")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Arrays.stream(nodes())
                                .filter((n) -> n.status() == NodeStatus.ONLINE)
                                .count()
                        == 2);
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    @Order(1)
    void tenRoutedMessagesShowOnTheCoordinatorAndTheAgents() {
        for (int i = 0; i < 10; i++) {
            RouteResponse response = this.api
                    .post()
                    .uri(ApiPaths.ROUTE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new RouteRequest("count me " + i))
                    .retrieve()
                    .body(RouteResponse.class);
            assertThat(response.response()).isEqualTo("[claw-mesh echo] count me " + i);
        }

        PrometheusScrape coordinator = scrape(this.coordinator);
        assertThat(coordinator.find("mesh_route_requests_total", Map.of("outcome", "ok")))
                .singleElement()
                .satisfies((series) -> {
                    assertThat(series.value()).isEqualTo(10.0);
                    assertThat(series.labels())
                            .containsEntry("application", "claw-mesh-coordinator")
                            .containsKeys("instance", "strategy");
                });
        assertThat(coordinator.sum("mesh_route_requests_total", Map.of())).isEqualTo(10.0);
        assertThat(coordinator.sum("mesh_failovers_total", Map.of())).isZero();
        assertThat(coordinator.sum("mesh_nodes", Map.of("status", "online"))).isEqualTo(2.0);
        assertThat(coordinator.sum("mesh_nodes", Map.of("status", "offline"))).isZero();
        assertThat(coordinator.sum("mesh_forward_duration_seconds_count", Map.of("outcome", "ok")))
                .isEqualTo(10.0);
        assertThat(coordinator.find("mesh_forward_duration_seconds_bucket", Map.of("le", "+Inf")))
                .isNotEmpty();
        for (String name : AGENTS) {
            assertThat(coordinator.find("mesh_node_inflight", Map.of("node", name)))
                    .singleElement()
                    .satisfies((series) -> assertThat(series.value()).isZero());
            assertThat(coordinator.find("mesh_heartbeat_age_seconds", Map.of("node", name)))
                    .singleElement()
                    .satisfies((series) -> assertThat(series.value()).isBetween(0.0, 4.0));
            assertThat(coordinator.find("mesh_probe_failures_total", Map.of("node", name)))
                    .singleElement()
                    .satisfies((series) -> assertThat(series.value()).isZero());
        }

        double answeredByAgents = 0;
        for (Map.Entry<String, MeshProcess> agent : this.agents.entrySet()) {
            PrometheusScrape scrape = scrape(agent.getValue());
            Map<String, String> tags = Map.of("application", "node-agent", "instance", agent.getKey());
            answeredByAgents += scrape.sum(
                    "mesh_agent_messages_total",
                    Map.of("outcome", "ok", "runtime", "echo", "instance", agent.getKey()));
            assertThat(scrape.sum("mesh_agent_messages_total", Map.of("outcome", "error")))
                    .isZero();
            assertThat(scrape.find("mesh_agent_runtime_connected", tags))
                    .singleElement()
                    .satisfies((series) -> assertThat(series.value()).isEqualTo(1.0));
            assertThat(scrape.sum("mesh_agent_runtime_duration_seconds_count", Map.of("outcome", "ok")))
                    .isEqualTo(scrape.sum("mesh_agent_messages_total", Map.of("outcome", "ok")));
        }
        assertThat(answeredByAgents)
                .as("every routed message counted by the agent that ran it")
                .isEqualTo(10.0);
    }

    @Test
    @Order(2)
    void healthGroupsAndInfoAnswerOnBothApps() {
        for (MeshProcess app : List.of(this.coordinator, this.agents.get("metrics-a"))) {
            assertThat(get(app, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
            assertThat(get(app, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
            assertThat(get(app, "/actuator/info")).contains("\"version\":\"0.1.0-SNAPSHOT\"");
        }
    }

    @Test
    @Order(3)
    void aNodeThatLeavesTakesItsMetersWithIt() throws Exception {
        this.agents.get("metrics-b").stop();
        Awaitility.await("metrics-b deregistered")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Arrays.stream(nodes()).noneMatch((n) -> n.name().equals("metrics-b")));

        PrometheusScrape coordinator = scrape(this.coordinator);

        assertThat(coordinator.series())
                .noneMatch((series) -> "metrics-b".equals(series.labels().get("node")));
        assertThat(coordinator.find("mesh_node_inflight", Map.of("node", "metrics-a")))
                .hasSize(1);
        assertThat(coordinator.sum("mesh_nodes", Map.of("status", "online"))).isEqualTo(1.0);
    }

    private NodeView[] nodes() {
        return this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class);
    }

    private PrometheusScrape scrape(MeshProcess app) {
        return PrometheusScrape.parse(get(app, "/actuator/prometheus"));
    }

    private String get(MeshProcess app, String path) {
        return this.plain.get().uri(app.baseUrl() + path).retrieve().body(String.class);
    }
}
