package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RouteCommandsTests extends CliTestSupport {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void routeListShouldPrintRulesInOrderWithTheMatchAsRouteAddTakesIt() throws Exception {
        this.coordinator.json("GET", "/api/v1/rules", 200, MeshJsonFixtures.twoRules());

        var screen = shell("route list");

        assertThat(screen.lines())
                .containsExactly(
                        "#  ID        MATCH     TARGET     STRATEGY",
                        "0  rule-gpu  gpu:true  linux-gpu  least-busy",
                        "1  rule-any  *         -          round-robin");
    }

    @Test
    void routeListWithJsonShouldPrintTheRules() throws Exception {
        this.coordinator.json("GET", "/api/v1/rules", 200, MeshJsonFixtures.twoRules());

        List<Map<String, Object>> rules =
                this.json.readValue(run("route list -o json").out(), List.class);

        assertThat(rules).extracting((rule) -> rule.get("id")).containsExactly("rule-gpu", "rule-any");
    }

    @Test
    void routeAddShouldSendTheGoMatchAsJson() throws Exception {
        this.coordinator.json(
                "POST",
                "/api/v1/rules",
                201,
                MeshJsonFixtures.rule("rule-1", "{\"requires_gpu\":true}", "linux-gpu", "least-busy"));

        Result result = run("route add --match \"gpu:true\" --target linux-gpu");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("added rule rule-1: gpu:true -> linux-gpu (least-busy)\n");
        Map<String, Object> body = this.json.readValue(
                this.coordinator.last("POST", "/api/v1/rules").body(), Map.class);
        assertThat(body)
                .containsEntry("match", Map.of("requires_gpu", true))
                .containsEntry("target", "linux-gpu")
                .containsEntry("strategy", "least-busy");
    }

    @Test
    void routeAddWithSeveralRequirementsShouldCombineThem() throws Exception {
        this.coordinator.json(
                "POST",
                "/api/v1/rules",
                201,
                MeshJsonFixtures.rule(
                        "rule-2", "{\"requires_os\":\"linux\",\"requires_skill\":\"docker\"}", null, "sticky"));

        Result result = run("route add --match os:linux,skill:docker --strategy sticky");

        assertThat(result.out()).isEqualTo("added rule rule-2: os:linux,skill:docker (sticky)\n");
        Map<String, Object> body = this.json.readValue(
                this.coordinator.last("POST", "/api/v1/rules").body(), Map.class);
        assertThat(body).containsEntry("match", Map.of("requires_os", "linux", "requires_skill", "docker"));
    }

    @Test
    void routeAddWithBadMatchShouldBeAUsageErrorAndSendNothing() {
        Result result = run("route add --match colour:red");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("claw-mesh: unknown match key 'colour'")
                .contains("usage: claw-mesh route add --match EXPR");
        assertThat(this.coordinator.requests()).isEmpty();
    }

    @Test
    void routeAddWithoutMatchShouldBeAUsageError() {
        Result result = run("route add --target x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: --match is required");
    }

    @Test
    void routeAddRefusedByTheCoordinatorShouldShowTheDetail() {
        this.coordinator.problem(
                "POST", "/api/v1/rules", 400, "requires_os 'plan9' is not one of darwin, freebsd, linux, windows");

        Result result = run("route add --match os:plan9");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("claw-mesh: requires_os 'plan9' is not one of darwin, freebsd, linux, windows (400)\n");
    }

    @Test
    void routeRemoveShouldDeleteTheRule() {
        this.coordinator.json("DELETE", "/api/v1/rules/rule-gpu", 204, "");

        Result result = run("route remove rule-gpu");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("removed rule rule-gpu\n");
    }

    @Test
    void routeRemoveWhenUnknownShouldExitOne() {
        this.coordinator.problem("DELETE", "/api/v1/rules/rule-x", 404, "no rule 'rule-x'");

        assertThat(run("route remove rule-x")).satisfies((result) -> {
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("claw-mesh: no rule 'rule-x' (404)\n");
        });
    }

    @Test
    void routeMoveShouldPutAndPrintTheNewOrder() throws Exception {
        this.coordinator.json(
                "PUT",
                "/api/v1/rules/rule-any/position",
                200,
                "[" + MeshJsonFixtures.rule("rule-any", "{\"wildcard\":true}", null, "round-robin") + ","
                        + MeshJsonFixtures.rule("rule-gpu", "{\"requires_gpu\":true}", "linux-gpu", "least-busy")
                        + "]");

        Result result = run("route move rule-any --position 0");

        assertThat(result.out().lines().skip(1).map((l) -> l.split("\\s+")[1]).toList())
                .containsExactly("rule-any", "rule-gpu");
        assertThat(this.coordinator
                        .last("PUT", "/api/v1/rules/rule-any/position")
                        .body())
                .isEqualTo("{\"position\":0}");
    }

    @Test
    void routeMoveWithNonNumericPositionShouldBeAUsageError() {
        Result result = run("route move rule-any --position first");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: --position takes a whole number, not 'first'");
    }
}
