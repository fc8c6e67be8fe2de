package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.yaml.snakeyaml.Yaml;

/**
 * The coordinator as the Helm chart configures it, short of a cluster: the chart's ConfigMap rendered by a real
 * {@code helm template} (PostgreSQL, actuator on the management port), the tokens and password as the Deployment's
 * environment, a fresh PostgreSQL database, and an agent joining with the join token. Skipped with the reason without
 * helm ({@code scripts/fetch-helm}) or PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmConfiguredCoordinatorEndToEndTests {

    private static final String JOIN_TOKEN = MeshCluster.OPERATOR_TOKEN;

    private static final String OPERATOR_TOKEN = "helm-operator-token";

    private PostgresDatabase database;

    private MeshCluster cluster;

    private int apiPort;

    private int managementPort;

    private final RestClient http = RestClient.builder()
            .requestFactory(new JdkClientHttpRequestFactory())
            .build();

    @BeforeAll
    void start(@TempDir Path workDir) throws Exception {
        Optional<String> helm = helm();
        assumeTrue(helm.isPresent(), "no helm: run scripts/fetch-helm (or install helm 3) to run this test");
        this.database = PostgresDatabase.open();
        assumeTrue(this.database != null, PostgresDatabase.UNAVAILABLE);
        this.apiPort = MeshCluster.freePort();
        this.managementPort = MeshCluster.freePort();
        Path config = workDir.resolve("application.yaml");
        Files.writeString(config, renderConfigMap(helm.get(), workDir));
        this.cluster = new MeshCluster(workDir);
        this.cluster.startConfiguredCoordinator(
                this.apiPort,
                config,
                Map.of(
                        "CLAW_MESH_TOKEN", OPERATOR_TOKEN,
                        "CLAW_MESH_JOIN_TOKEN", JOIN_TOKEN,
                        "SPRING_DATASOURCE_PASSWORD", this.database.password()),
                management("/actuator/health/readiness"));
        this.cluster.startAgent("helm-node", MeshCluster.freePort(), this.apiPort, "kubernetes", Map.of());
    }

    @AfterAll
    void stop() throws Exception {
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
    void chartConfigurationShouldServeTheApiOnItsPortAndTheActuatorOnlyOnTheManagementPort() {
        Awaitility.await("the agent joined with the join token")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Arrays.stream(nodes()).anyMatch((node) -> node.status() == NodeStatus.ONLINE));

        assertThat(this.http
                        .get()
                        .uri(management("/actuator/health/liveness"))
                        .retrieve()
                        .body(String.class))
                .contains("\"status\":\"UP\"");
        assertThat(this.http
                        .get()
                        .uri(management("/actuator/prometheus"))
                        .retrieve()
                        .body(String.class))
                .contains("mesh_nodes{application=\"claw-mesh-coordinator\"")
                .containsPattern("mesh_nodes\\{[^}]*status=\"online\"} 1\\.0");
        HttpStatusCode onApiPort = this.http
                .get()
                .uri("http://127.0.0.1:" + this.apiPort + "/actuator/prometheus")
                .exchange((request, response) -> response.getStatusCode());
        assertThat(onApiPort.value())
                .as("the actuator is not on the port behind the Ingress")
                .isEqualTo(404);
    }

    private NodeView[] nodes() {
        return this.http
                .get()
                .uri("http://127.0.0.1:" + this.apiPort + ApiPaths.NODES)
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .retrieve()
                .body(NodeView[].class);
    }

    private String management(String path) {
        return "http://127.0.0.1:" + this.managementPort + path;
    }

    /** The coordinator's application.yaml from the chart's ConfigMap, for this database and these ports. */
    private String renderConfigMap(String helm, Path workDir) throws Exception {
        Path out = workDir.resolve("configmap.yaml");
        Process process = new ProcessBuilder(List.of(
                        helm,
                        "template",
                        "e2e",
                        root().resolve("helm/claw-mesh").toString(),
                        "--show-only",
                        "templates/configmap.yaml",
                        "--set",
                        "database.url=" + this.database.url(),
                        "--set",
                        "database.username=" + this.database.username(),
                        "--set",
                        "database.password=unused-the-environment-has-it",
                        "--set",
                        "coordinator.port=" + this.apiPort,
                        "--set",
                        "coordinator.managementPort=" + this.managementPort))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(out)).isZero();
        Map<String, Object> configMap = new Yaml().load(Files.readString(out));
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) configMap.get("data");
        return data.get("application.yaml");
    }

    private static Optional<String> helm() {
        String fromEnvironment = System.getenv("HELM");
        if (fromEnvironment != null && Files.isExecutable(Path.of(fromEnvironment))) {
            return Optional.of(fromEnvironment);
        }
        for (String dir : String.valueOf(System.getenv("PATH")).split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "helm"))) {
                return Optional.of(Path.of(dir, "helm").toString());
            }
        }
        Path fetched = root().resolve("target/tools/helm/helm");
        return Files.isExecutable(fetched) ? Optional.of(fetched.toString()) : Optional.empty();
    }

    private static Path root() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
