package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
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
 * The coordinator on a real PostgreSQL (a database created for this run and dropped afterwards) with two agents as
 * real processes: a coordinator restart keeps nodes, tokens, rules and the message log, and routes at once, as on H2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEndToEndTests {

    private static final List<String> AGENTS = List.of("pg-gpu", "pg-cpu");

    private PostgresDatabase database;

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private RestClient api;

    @BeforeAll
    void startMesh(@TempDir Path workDir) throws Exception {
        this.database = PostgresDatabase.open();
        assumeTrue(this.database != null, PostgresDatabase.UNAVAILABLE);
        this.cluster = new MeshCluster(workDir);
        this.coordinator = this.cluster.startCoordinator(MeshCluster.freePort(), this.database.coordinatorArguments());
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        this.cluster.startAgent("pg-gpu", MeshCluster.freePort(), this.coordinator.port(), "gpu-box", Map.of());
        this.cluster.startAgent("pg-cpu", MeshCluster.freePort(), this.coordinator.port(), "cpu-box", Map.of());
        Awaitility.await("both agents online")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes().values().stream()
                                .filter((n) -> n.status() == NodeStatus.ONLINE)
                                .count()
                        == 2);
    }

    @AfterAll
    void stopMesh() throws Exception {
        try {
            if (this.cluster != null) {
                this.cluster.close();
            }
        } finally {
            if (this.database != null) {
                this.database.close();
            }
        }
    }

    @Test
    void coordinatorRestartOnPostgresKeepsNodesTokensRulesAndHistoryAndRoutesAtOnce() throws Exception {
        RoutingRule rule = this.api
                .post()
                .uri(ApiPaths.RULES)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RuleRequest(
                        new RuleMatch(null, null, null, null, null, List.of("gpu-box"), null),
                        null,
                        Strategy.LEAST_BUSY))
                .retrieve()
                .body(RoutingRule.class);
        assertThat(route("before the restart").nodeName()).isEqualTo("pg-gpu");
        Map<String, String> idsBefore = ids();
        Map<String, String> identitiesBefore = identities();
        Awaitility.await("message log written").atMost(Duration.ofSeconds(10)).until(() -> messageLogRecords() >= 1);

        this.coordinator.stop();
        this.coordinator = this.cluster.startCoordinator(this.coordinator.port(), this.database.coordinatorArguments());

        assertThat(route("right after the restart").nodeName())
                .as("the rule survived and routing works at once")
                .isEqualTo("pg-gpu");
        assertThat(List.of(this.api.get().uri(ApiPaths.RULES).retrieve().body(RoutingRule[].class)))
                .containsExactly(rule);
        assertThat(ids()).isEqualTo(idsBefore);
        Awaitility.await("heartbeats resume")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nodes().values().stream()
                        .allMatch((node) -> node.status() == NodeStatus.ONLINE
                                && node.lastHeartbeat() != null
                                && node.lastHeartbeat().isAfter(Instant.now().minusSeconds(3))));
        assertThat(identities())
                .as("agents kept their node tokens: nobody registered again")
                .isEqualTo(identitiesBefore);
        Awaitility.await("both messages in the log")
                .atMost(Duration.ofSeconds(10))
                .until(() -> messageLogRecords() >= 2);
    }

    private RouteResponse route(String content) {
        return this.api
                .post()
                .uri(ApiPaths.ROUTE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest(content))
                .retrieve()
                .body(RouteResponse.class);
    }

    private Map<String, NodeView> nodes() {
        return Arrays.stream(this.api.get().uri(ApiPaths.NODES).retrieve().body(NodeView[].class))
                .collect(Collectors.toMap(NodeView::name, Function.identity()));
    }

    private Map<String, String> ids() {
        return nodes().values().stream().collect(Collectors.toMap(NodeView::name, NodeView::id));
    }

    private Map<String, String> identities() throws java.io.IOException {
        Map<String, String> identities = new TreeMap<>();
        for (String name : AGENTS) {
            identities.put(name, Files.readString(this.cluster.identityFile(name)));
        }
        return identities;
    }

    /** Messages in the shared log: a row holds the records of one flush (ADR 0019). */
    private int messageLogRecords() throws Exception {
        try (Connection connection = this.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COALESCE(SUM(record_count), 0) FROM message_log")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
