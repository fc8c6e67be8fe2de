package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionCommandsTests extends CliTestSupport {

    @Test
    void versionShouldPrintTheCliAndTheCoordinatorVersion() {
        this.coordinator.json(
                "GET", "/actuator/info", 200, "{\"build\":{\"version\":\"9.9.9\",\"name\":\"coordinator\"}}");

        Result result = run("version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().toList()).hasSize(2).first().asString().startsWith("claw-mesh CLI ");
        assertThat(result.out()).contains("coordinator " + this.coordinator.url() + ": 9.9.9");
    }

    @Test
    void versionWhenCoordinatorIsDownShouldStillPrintTheCliVersion() {
        String url = this.coordinator.url();
        this.coordinator.close();

        Result result = runExactly("version --coordinator " + url);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("claw-mesh CLI ").contains(url + ": not reachable (cannot reach");
    }

    @Test
    void versionWithJsonShouldHaveBoth() {
        this.coordinator.json("GET", "/actuator/info", 200, "{}");

        assertThat(run("version -o json").out())
                .contains("\"cli\"")
                .contains("\"coordinator\" : \"unknown (its /actuator/info has no build version)\"");
    }
}
