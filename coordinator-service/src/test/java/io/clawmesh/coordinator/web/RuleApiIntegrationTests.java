package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static io.clawmesh.coordinator.web.ApiFixtures.UNKNOWN_RULE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The rules API over the real context: add, list in order, delete and move. */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class RuleApiIntegrationTests extends ApiIntegrationTestSupport {

    @Test
    void addRuleShouldAnswer201WithTheStoredRule() {
        MvcTestResult result = post(
                OPERATOR_TOKEN,
                RULES,
                Map.of("match", Map.of("requires_gpu", true, "requires_os", "linux"), "target", "alpha"));

        assertThat(result).hasStatus(201);
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                {"match": {"requires_gpu": true, "requires_os": "linux"}, "target": "alpha",
                 "strategy": "least-busy"}
                """);
        assertThat(result).bodyJson().extractingPath("$.id").asString().matches("rule-[0-9a-f]{12}");
    }

    @Test
    void addWildcardRuleShouldKeepTheWildcardAndHaveNoTarget() {
        MvcTestResult result = post(OPERATOR_TOKEN, RULES, ApiFixtures.wildcardRule());

        assertThat(result).hasStatus(201);
        String body = body(result);
        assertThat((Map<String, Object>) JsonPath.read(body, "$.match")).containsExactly(Map.entry("wildcard", true));
        assertThat((Map<String, Object>) JsonPath.read(body, "$")).doesNotContainKey("target");
    }

    @Test
    void listRulesShouldAnswerThemInTheOrderTheyWereAdded() {
        String gpu = addRule(ApiFixtures.gpuRule());
        String linux = addRule(ApiFixtures.osRule("linux"));
        String any = addRule(ApiFixtures.wildcardRule());

        MvcTestResult result = get(OPERATOR_TOKEN, RULES);

        assertThat(result).hasStatus(200);
        String body = body(result);
        assertThat((List<String>) JsonPath.read(body, "$[*].id")).containsExactly(gpu, linux, any);
        assertThat((List<String>) JsonPath.read(body, "$[*].strategy"))
                .containsExactly("least-busy", "least-busy", "least-busy");
    }

    @Test
    void deleteRuleShouldAnswer204AndRemoveOnlyThatRule() {
        String gpu = addRule(ApiFixtures.gpuRule());
        String linux = addRule(ApiFixtures.osRule("linux"));

        assertThat(delete(OPERATOR_TOKEN, RULES + "/" + gpu)).hasStatus(204);

        assertThat(ruleIds()).containsExactly(linux);
    }

    @Test
    void deleteRuleWhenUnknownShouldAnswer404() {
        addRule(ApiFixtures.gpuRule());

        assertThat(assertProblem(delete(OPERATOR_TOKEN, RULES + "/" + UNKNOWN_RULE_ID), 404, "rule-not-found"))
                .contains(UNKNOWN_RULE_ID);
        assertThat(ruleIds()).hasSize(1);
    }

    @Test
    void deleteRuleTwiceShouldAnswer404TheSecondTime() {
        String gpu = addRule(ApiFixtures.gpuRule());

        assertThat(delete(OPERATOR_TOKEN, RULES + "/" + gpu)).hasStatus(204);
        assertProblem(delete(OPERATOR_TOKEN, RULES + "/" + gpu), 404, "rule-not-found");
    }

    @Test
    void moveRuleShouldReorderAndAnswerTheNewOrder() {
        String first = addRule(ApiFixtures.gpuRule());
        String second = addRule(ApiFixtures.osRule("linux"));
        String third = addRule(ApiFixtures.osRule("darwin"));

        MvcTestResult result = put(OPERATOR_TOKEN, RULES + "/" + third + "/position", ApiFixtures.position(0));

        assertThat(result).hasStatus(200);
        assertThat((List<String>) JsonPath.read(body(result), "$[*].id")).containsExactly(third, first, second);
        assertThat(ruleIds()).containsExactly(third, first, second);
        assertThat(this.jdbc.queryForList("SELECT id FROM routing_rules ORDER BY rule_order", String.class))
                .containsExactly(third, first, second);
    }

    @Test
    void moveRulePastTheEndShouldMoveItLast() {
        String first = addRule(ApiFixtures.gpuRule());
        String second = addRule(ApiFixtures.osRule("linux"));

        assertThat(put(OPERATOR_TOKEN, RULES + "/" + first + "/position", ApiFixtures.position(99)))
                .hasStatus(200);

        assertThat(ruleIds()).containsExactly(second, first);
    }

    @Test
    void moveRuleWhenPositionNegativeShouldAnswer400AndKeepTheOrder() {
        String first = addRule(ApiFixtures.gpuRule());
        String second = addRule(ApiFixtures.osRule("linux"));

        MvcTestResult result = put(OPERATOR_TOKEN, RULES + "/" + second + "/position", ApiFixtures.position(-1));

        assertThat(assertProblem(result, 400, "invalid-input")).contains("position");
        assertThat(ruleIds()).containsExactly(first, second);
    }

    @Test
    void moveRuleWhenPositionMissingShouldAnswer400() {
        String first = addRule(ApiFixtures.gpuRule());

        assertProblem(put(OPERATOR_TOKEN, RULES + "/" + first + "/position", Map.of()), 400, "invalid-input");
    }

    @Test
    void moveRuleWhenUnknownShouldAnswer404() {
        addRule(ApiFixtures.gpuRule());

        assertProblem(
                put(OPERATOR_TOKEN, RULES + "/" + UNKNOWN_RULE_ID + "/position", ApiFixtures.position(0)),
                404,
                "rule-not-found");
    }
}
