package io.clawmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile read stage by stage: multi-stage build, JRE runtime, non-root user, layers and health checks. */
class DockerfileTests {

    private final Map<String, List<String>> stages = stages(DeployFiles.read("docker/Dockerfile"));

    @Test
    void buildShouldRunOnAJdkAndEveryAppOnTheJreRuntimeStage() {
        assertThat(this.stages).containsKeys("build", "runtime", "coordinator", "node-agent", "mesh-cli");
        assertThat(this.stages.get("build").get(0)).isEqualTo("FROM ${JDK_IMAGE} AS build");
        assertThat(this.stages.get("runtime").get(0)).isEqualTo("FROM ${JRE_IMAGE} AS runtime");
        assertThat(DeployFiles.read("docker/Dockerfile")).contains("ARG JRE_IMAGE=eclipse-temurin:21-jre");
        for (String app : List.of("coordinator", "node-agent", "mesh-cli")) {
            assertThat(this.stages.get(app).get(0)).isEqualTo("FROM runtime AS " + app);
        }
    }

    @Test
    void runtimeShouldRunAsTheUnprivilegedUser() {
        assertThat(this.stages.get("runtime")).contains("USER 10001:10001");
        assertThat(String.join("\n", this.stages.get("runtime"))).contains("useradd --system --uid 10001");
        for (String app : List.of("coordinator", "node-agent", "mesh-cli")) {
            assertThat(this.stages.get(app)).noneMatch((line) -> line.startsWith("USER"));
        }
    }

    @Test
    void appsShouldCopyBootLayersWithTheApplicationLast() {
        for (String app : List.of("coordinator", "node-agent", "mesh-cli")) {
            List<String> copies = this.stages.get(app).stream()
                    .filter((line) -> line.startsWith("COPY --from=build /layers/"))
                    .map((line) -> line.replaceAll(".*/layers/[^/]+/([^/]+)/.*", "$1"))
                    .toList();
            assertThat(copies)
                    .as(app)
                    .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        }
        assertThat(String.join("\n", this.stages.get("build")))
                .contains("java -Djarmode=tools -jar \"/tmp/$app.jar\" extract --layers");
    }

    @Test
    void serversShouldCheckReadinessAndMeterTheirMemory() {
        assertThat(String.join("\n", this.stages.get("coordinator")))
                .contains("HEALTHCHECK")
                .contains("/actuator/health/readiness")
                .contains("EXPOSE 9180")
                .contains("-XX:MaxRAMPercentage=");
        assertThat(String.join("\n", this.stages.get("node-agent")))
                .contains("HEALTHCHECK")
                .contains("/actuator/health/readiness")
                .contains("EXPOSE 9121")
                .contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void buildContextShouldLeaveOutGitAndBuildOutput() {
        assertThat(DeployFiles.read("docker/Dockerfile.dockerignore").lines())
                .contains(".git", "**/target", "docker/.env");
    }

    /** Instructions by stage name, continuation lines joined. */
    private static Map<String, List<String>> stages(String dockerfile) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        List<String> current = null;
        String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
        for (String raw : joined.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("FROM ")) {
                current = new ArrayList<>();
                stages.put(line.replaceAll(".* AS ", ""), current);
            }
            if (current != null) {
                current.add(line);
            }
        }
        return stages;
    }
}
