package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.security.OperatorToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** {@code GET /api/v1/audit} over the whole coordinator: who may read it, what operator actions leave, paging. */
@TestPropertySource(properties = "mesh.security.allow-private=true")
class AuditApiIntegrationTests extends ApiIntegrationTestSupport {

    private static final String AUDIT = "/api/v1/audit";

    private static final String OPERATOR_ACTOR = "operator:" + OperatorToken.fingerprint(ApiFixtures.OPERATOR_TOKEN);

    @BeforeEach
    void emptyTrail() {
        this.jdbc.update("DELETE FROM audit_log");
    }

    private int entries() {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Integer.class);
    }

    @Test
    void auditWithoutTheOperatorTokenShouldBeRefused() {
        RegisteredNode node = register("audit-reader", "127.0.0.1:9121");
        assertProblem(http("GET", null, AUDIT, null), 401, "unauthorized");
        assertProblem(http("GET", "cmo_not-a-token", AUDIT, null), 401, "unauthorized");
        assertProblem(http("GET", ApiFixtures.JOIN_TOKEN, AUDIT, null), 403, "forbidden");
        assertProblem(http("GET", node.token(), AUDIT, null), 403, "forbidden");
        assertThat(http("GET", ApiFixtures.OPERATOR_TOKEN, AUDIT, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void ruleChangesShouldEachLeaveAnEntryByTheOperatorToken() {
        String id = addRule(ApiFixtures.gpuRule());
        assertThat(put(ApiFixtures.OPERATOR_TOKEN, RULES + "/" + id + "/position", ApiFixtures.position(0)))
                .hasStatus(200);
        assertThat(delete(ApiFixtures.OPERATOR_TOKEN, RULES + "/" + id)).hasStatus(204);

        String body = body(get(ApiFixtures.OPERATOR_TOKEN, AUDIT));
        List<String> actions = JsonPath.read(body, "$.entries[*].action");
        assertThat(actions).containsExactly("rule.delete", "rule.update", "rule.create");
        assertThat(JsonPath.<List<String>>read(body, "$.entries[*].actor")).containsOnly(OPERATOR_ACTOR);
        assertThat(JsonPath.<List<String>>read(body, "$.entries[*].target")).containsOnly(id);
        assertThat(JsonPath.<List<String>>read(body, "$.entries[*].outcome")).containsOnly("success");
        assertThat(JsonPath.<String>read(body, "$.entries[0].time")).endsWith("Z");
    }

    @Test
    void refusedRuleChangesShouldLeaveNoEntry() {
        assertThat(post(ApiFixtures.OPERATOR_TOKEN, RULES, Map.of("match", Map.of())))
                .hasStatus(400);
        assertThat(delete(ApiFixtures.OPERATOR_TOKEN, RULES + "/" + ApiFixtures.UNKNOWN_RULE_ID))
                .hasStatus(404);
        assertThat(entries()).isZero();
    }

    @Test
    void nodeRemovalByTheOperatorShouldLeaveAnEntryAndAnAgentsOwnDeregistrationNone() {
        register("doomed", "127.0.0.1:9121");
        RegisteredNode leaving = register("leaving", "127.0.0.1:9122");

        assertThat(delete(ApiFixtures.OPERATOR_TOKEN, NODES + "/doomed")).hasStatus(204);
        assertThat(delete(leaving.token(), NODES + "/" + leaving.id())).hasStatus(204);

        String body = body(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?action=node.remove"));
        assertThat(JsonPath.<List<String>>read(body, "$.entries[*].target")).containsExactly("doomed");
        assertThat(JsonPath.<List<String>>read(body, "$.entries[*].actor")).containsExactly(OPERATOR_ACTOR);
        assertThat(entries()).isEqualTo(1);
    }

    @Test
    void pagesShouldFollowTheCursorNewestFirstWithoutGapsOrRepeats() {
        List<String> ids = List.of(
                addRule(ApiFixtures.gpuRule()),
                addRule(ApiFixtures.osRule("linux")),
                addRule(ApiFixtures.osRule("darwin")));

        String first = body(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?limit=2"));
        String cursor = JsonPath.read(first, "$.next_cursor");
        String second = body(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?limit=2&cursor=" + cursor));

        assertThat(JsonPath.<List<String>>read(first, "$.entries[*].target")).containsExactly(ids.get(2), ids.get(1));
        assertThat(JsonPath.<List<String>>read(second, "$.entries[*].target")).containsExactly(ids.get(0));
        assertThat(JsonPath.<Object>read(second, "$.next_cursor")).isNull();
    }

    @Test
    void filtersShouldNarrowByActionActorAndTime() {
        addRule(ApiFixtures.gpuRule());

        assertThat(count(AUDIT + "?action=rule.create")).isEqualTo(1);
        assertThat(count(AUDIT + "?action=task.cancel")).isZero();
        assertThat(count(AUDIT + "?actor=operator")).isEqualTo(1);
        assertThat(count(AUDIT + "?actor=" + OPERATOR_ACTOR)).isEqualTo(1);
        assertThat(count(AUDIT + "?actor=operator:00000000")).isZero();
        assertThat(count(AUDIT + "?actor=dashboard")).isZero();
        assertThat(count(AUDIT + "?since=2000-01-01T00:00:00Z")).isEqualTo(1);
        assertThat(count(AUDIT + "?since=2999-01-01T00:00:00Z")).isZero();
    }

    @Test
    void badParametersShouldAnswer400() {
        assertThat(assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?action=rule.explode"), 400, "invalid-input"))
                .contains("rule.create");
        assertThat(assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?since=yesterday"), 400, "invalid-input"))
                .contains("since");
        assertThat(assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?cursor=bm9wZQ"), 400, "invalid-input"))
                .contains("cursor");
        assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?limit=0"), 400, "invalid-input");
        assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?limit=501"), 400, "invalid-input");
        assertThat(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?limit=ten")
                        .getResponse()
                        .getStatus())
                .isEqualTo(400);
        assertProblem(get(ApiFixtures.OPERATOR_TOKEN, AUDIT + "?actor=" + "x".repeat(300)), 400, "invalid-input");
    }

    private int count(String path) {
        MvcTestResult result = get(ApiFixtures.OPERATOR_TOKEN, path);
        assertThat(result).hasStatus(200);
        return JsonPath.<List<Object>>read(body(result), "$.entries").size();
    }
}
