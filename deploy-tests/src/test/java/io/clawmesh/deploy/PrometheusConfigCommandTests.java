package io.clawmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool} (Debian package prometheus) checks docker/prometheus/prometheus.yml and alerts.yml, and runs the
 * alert rules' unit tests (alerts-test.yml: offline nodes, stale heartbeats, failing routes, a lost runtime); skipped
 * with the reason where promtool is not installed.
 */
class PrometheusConfigCommandTests {

    private String promtool;

    @BeforeEach
    void findPromtool() {
        Optional<Path> binary = Commands.onPath("promtool");
        assumeTrue(
                binary.isPresent(),
                "promtool is not installed (apt-get install --no-install-recommends prometheus); "
                        + "ComposeFileTests still check the scrape targets");
        this.promtool = binary.get().toString();
    }

    @Test
    void configAndRulesShouldBeValid() {
        Commands.Result result = promtool("check", "config", "prometheus.yml");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out() + result.err()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void alertRulesShouldPassTheirUnitTests() {
        Commands.Result result = promtool("test", "rules", "alerts-test.yml");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out() + result.err()).contains("SUCCESS");
    }

    private Commands.Result promtool(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of(this.promtool));
        command.addAll(List.of(arguments));
        return Commands.run(DeployFiles.root().resolve("docker/prometheus"), command);
    }
}
