package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.problem.ProblemType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StatusCommandsTests extends CliTestSupport {

    @Test
    void statusShouldPrintASummaryAndCountsPerStatus() throws Exception {
        this.coordinator
                .json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes())
                .json("GET", "/api/v1/rules", 200, MeshJsonFixtures.twoRules());

        Result result = run("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().toList())
                .containsExactly(
                        "coordinator " + this.coordinator.url()
                                + ": 3 nodes, 2 routing rules, 1 of 8 message slots in use",
                        "3 nodes: 2 online, 1 offline");
    }

    @Test
    void statusWithJsonShouldCountEveryStatus() throws Exception {
        this.coordinator
                .json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes())
                .json("GET", "/api/v1/rules", 200, "[]");

        Result result = run("status -o json");

        Map<String, Object> status = JsonMapper.builder().build().readValue(result.out(), Map.class);
        assertThat(status).containsEntry("nodes", 3).containsEntry("rules", 0);
        assertThat((Map<String, Object>) status.get("by_status"))
                .containsEntry("online", 2)
                .containsEntry("offline", 1)
                .containsEntry("busy", 0)
                .containsEntry("degraded", 0);
    }

    @Test
    void statusWhenCoordinatorIsDownShouldExitThreeNamingTheUrl() {
        String url = this.coordinator.url();
        this.coordinator.close();

        Result result = runExactly("status --coordinator " + url);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .startsWith("claw-mesh: cannot reach the coordinator at " + url + " (connection refused)")
                .contains("claw-mesh up")
                .hasLineCount(1);
    }

    @Test
    void statusWithWrongTokenShouldExitThreeSayingWhichToken() {
        this.coordinator.problem("GET", "/api/v1/nodes", 401, "this endpoint needs a bearer token");

        Result result = run("status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refused the operator token from --token (401)");
    }

    @Test
    void statusWithNodeTokenShouldExitThreeSayingItIsNotTheOperatorToken() {
        this.coordinator.problem("GET", "/api/v1/nodes", 403, "node tokens may only heartbeat");

        Result result = run("status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("is not the operator token (403): node tokens may only heartbeat");
    }

    @Test
    void statusWhenCoordinatorAnswersUnauthorizedProblemShouldExitThreeSayingWhichToken() {
        this.coordinator.problem("GET", "/api/v1/nodes", ProblemType.UNAUTHORIZED, "unknown token");

        Result result = run("status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refused the operator token from --token (401)");
    }

    @Test
    void statusWhenCoordinatorAnswersForbiddenProblemShouldExitThreeSayingItIsNotTheOperatorToken() {
        this.coordinator.problem("GET", "/api/v1/nodes", ProblemType.FORBIDDEN, "use the operator token");

        Result result = run("status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("is not the operator token (403): use the operator token");
    }

    @Test
    void statusWhenCoordinatorAnswersAnotherProblemShouldExitOneWithItsDetail() {
        this.coordinator.problem("GET", "/api/v1/nodes", ProblemType.DATABASE_UNAVAILABLE, "try again shortly");

        Result result = run("status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("try again shortly (503)");
    }

    @Test
    void statusWithExtraArgumentShouldBeAUsageError() {
        Result result = run("status now");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("claw-mesh: 'status' takes no arguments, but got 'now'")
                .contains("usage: claw-mesh status");
    }
}
