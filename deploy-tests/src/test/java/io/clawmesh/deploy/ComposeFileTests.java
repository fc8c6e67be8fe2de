package io.clawmesh.deploy;

import static io.clawmesh.deploy.DeployFiles.at;
import static io.clawmesh.deploy.DeployFiles.list;
import static io.clawmesh.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docker/compose.yaml and docker/prometheus/prometheus.yml, parsed: services, health, limits, secrets, targets. */
class ComposeFileTests {

    private final Map<String, Object> compose = DeployFiles.yaml(DeployFiles.read("docker/compose.yaml"));

    private final Map<String, Object> services = map(this.compose.get("services"));

    @Test
    void composeShouldStartPostgresACoordinatorTwoAgentsAndPrometheus() {
        assertThat(this.services).containsOnlyKeys("postgres", "coordinator", "agent-1", "agent-2", "prometheus");
        assertThat(at(service("coordinator"), "build.target")).isEqualTo("coordinator");
        assertThat(at(service("agent-1"), "build.target")).isEqualTo("node-agent");
        assertThat(at(service("agent-2"), "build.dockerfile")).isEqualTo("docker/Dockerfile");
    }

    @Test
    void everyServiceShouldHaveAHealthcheckAMemoryLimitAndWaitForHealthyDependencies() {
        this.services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            assertThat(at(service, "healthcheck.test"))
                    .as(name + " healthcheck")
                    .isNotNull();
            assertThat(service.get("mem_limit")).as(name + " memory limit").isNotNull();
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                map(dependsOn)
                        .forEach((dependency, condition) -> assertThat(at(map(condition), "condition"))
                                .as(name + " waits for " + dependency)
                                .isEqualTo("service_healthy"));
            }
        });
        assertThat(map(service("coordinator").get("depends_on"))).containsOnlyKeys("postgres");
        assertThat(map(service("agent-1").get("depends_on"))).containsOnlyKeys("coordinator");
        assertThat(map(service("prometheus").get("depends_on"))).containsOnlyKeys("coordinator", "agent-1", "agent-2");
    }

    @Test
    void appHealthchecksShouldProbeReadinessOnTheirOwnPort() {
        assertThat(healthcheck("coordinator")).endsWith("http://127.0.0.1:9180/actuator/health/readiness");
        assertThat(healthcheck("agent-1")).endsWith("http://127.0.0.1:9121/actuator/health/readiness");
        assertThat(healthcheck("agent-2")).endsWith("http://127.0.0.1:9121/actuator/health/readiness");
    }

    @Test
    void coordinatorShouldUsePostgresAndTakeItsTokensFromTheEnvFileOnly() {
        Map<String, Object> environment = map(service("coordinator").get("environment"));
        assertThat(environment.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/clawmesh");
        assertThat((String) environment.get("CLAW_MESH_TOKEN")).startsWith("${CLAW_MESH_TOKEN:?");
        assertThat((String) environment.get("CLAW_MESH_JOIN_TOKEN")).startsWith("${CLAW_MESH_JOIN_TOKEN:?");
        assertThat((String) environment.get("SPRING_DATASOURCE_PASSWORD")).startsWith("${POSTGRES_PASSWORD:?");
        assertThat(list(service("coordinator").get("ports"))).containsExactly("127.0.0.1:9180:9180");
        assertThat(DeployFiles.read("docker/.env.example"))
                .contains("CLAW_MESH_TOKEN=")
                .contains("CLAW_MESH_JOIN_TOKEN=")
                .contains("POSTGRES_PASSWORD=");
    }

    @Test
    void agentsShouldJoinWithTheJoinTokenAndAdvertiseTheirServiceName() {
        for (String agent : List.of("agent-1", "agent-2")) {
            Map<String, Object> environment = map(service(agent).get("environment"));
            assertThat(environment.get("MESH_AGENT_COORDINATOR_URL")).isEqualTo("http://coordinator:9180");
            assertThat((String) environment.get("CLAW_MESH_TOKEN")).startsWith("${CLAW_MESH_JOIN_TOKEN:?");
            assertThat(environment.get("MESH_AGENT_NAME")).isEqualTo(agent);
            assertThat(environment.get("MESH_AGENT_ENDPOINT")).isEqualTo(agent + ":9121");
        }
    }

    @Test
    void prometheusShouldScrapeTheActuatorOfTheCoordinatorAndBothAgents() {
        Map<String, Object> prometheus = DeployFiles.yaml(DeployFiles.read("docker/prometheus/prometheus.yml"));
        Map<String, List<Object>> targets = list(prometheus.get("scrape_configs")).stream()
                .map(DeployFiles::map)
                .peek((job) -> assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus"))
                .collect(Collectors.toMap(
                        (job) -> (String) job.get("job_name"),
                        (job) -> list(at(map(list(job.get("static_configs")).get(0)), "targets"))));
        assertThat(targets.values().stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("coordinator:9180", "agent-1:9121", "agent-2:9121");
        assertThat(list(service("prometheus").get("volumes")))
                .contains(
                        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        assertThat(DeployFiles.list(prometheus.get("rule_files"))).containsExactly("alerts.yml");
    }

    private Map<String, Object> service(String name) {
        return map(this.services.get(name));
    }

    private String healthcheck(String name) {
        return String.join(
                " ",
                list(at(service(name), "healthcheck.test")).stream()
                        .map(String::valueOf)
                        .toList());
    }
}
