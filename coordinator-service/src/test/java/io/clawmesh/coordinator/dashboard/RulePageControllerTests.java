package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.RuleValidator;
import io.clawmesh.common.routing.Strategy;
import io.clawmesh.coordinator.routing.RoutingRules;
import io.clawmesh.coordinator.security.OperatorToken;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(RulePageController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class RulePageControllerTests {

    private static final RoutingRule GPU = new RoutingRule(
            "rule-gpu", new RuleMatch(true, "linux", null, null, null, null, null), "linux-gpu", Strategy.LEAST_BUSY);

    private static final RoutingRule TAGS = new RoutingRule(
            "rule-tags", new RuleMatch(null, null, null, null, null, List.of("a", "b"), 16), null, Strategy.STICKY);

    private static final RoutingRule ANY = new RoutingRule("rule-any", RuleMatch.any(), null, Strategy.RANDOM);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    RoutingRules rules;

    @MockitoBean
    MeshOverview overview;

    @BeforeEach
    void rules() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.rules.list()).willReturn(List.of(GPU, TAGS, ANY));
        // The real checks of the rules service, so the page shows what the API would say.
        given(this.rules.add(any())).willAnswer((invocation) -> {
            RuleRequest valid = RuleValidator.validate(invocation.getArgument(0));
            return new RoutingRule("rule-new", valid.match(), valid.target(), valid.strategy());
        });
    }

    @Test
    void rulesPageShouldListTheRulesInOrderWithTheMatchInWords() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/rules")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .containsSubsequence(
                        "has a GPU and runs linux",
                        "linux-gpu",
                        "is tagged all of a, b and has at least 16 GB memory",
                        "sticky",
                        "any node",
                        "random")
                .doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
    }

    @Test
    void rulesPageWhenAnonymousShouldRedirectToLogin() {
        assertThat(this.mvc.get().uri("/dashboard/rules")).hasRedirectedUrl("/dashboard/login");
    }

    @Test
    void addValidRuleShouldStoreItAndRedirect() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules")
                        .with(DashboardFixtures.operator())
                        .with(csrf())
                        .param("gpu", "yes")
                        .param("tags", "gpu, fast")
                        .param("minMemoryGb", "8")
                        .param("target", "linux-gpu")
                        .param("strategy", "round-robin"))
                .hasRedirectedUrl("/dashboard/rules")
                .flash()
                .containsKey("notice");
        ArgumentCaptor<RuleRequest> request = ArgumentCaptor.forClass(RuleRequest.class);
        then(this.rules).should().add(request.capture());
        assertThat(request.getValue().match())
                .isEqualTo(new RuleMatch(true, null, null, null, null, List.of("gpu", "fast"), 8));
        assertThat(request.getValue().target()).isEqualTo("linux-gpu");
        assertThat(request.getValue().strategy()).isEqualTo(Strategy.ROUND_ROBIN);
    }

    @Test
    void addRuleWithUnknownOsShouldShowTheReasonNextToTheField() {
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/rules")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .param("os", "plan9")
                .param("skill", "docker")
                .exchange();
        assertThat(result).hasStatus(422);
        assertThat(result)
                .bodyText()
                .contains("id=\"os-error\"", "&#39;plan9&#39; is not one of")
                .contains("value=\"plan9\"", "value=\"docker\"");
    }

    @Test
    void addEmptyRuleShouldShowTheReasonForTheWholeForm() {
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/rules")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .exchange();
        assertThat(result).hasStatus(422);
        assertThat(result).bodyText().contains("id=\"rule-error\"", "Rule needs a match");
    }

    @Test
    void addRuleWithMemoryThatIsNoNumberShouldNotReachTheRules() {
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/rules")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .param("minMemoryGb", "lots")
                .exchange();
        assertThat(result).hasStatus(422);
        assertThat(result).bodyText().contains("id=\"minMemoryGb-error\"", "enter a whole number of GB");
        then(this.rules).should(never()).add(any());
    }

    @Test
    void addRuleWithoutCsrfShouldBeRefused() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules")
                        .with(DashboardFixtures.operator())
                        .param("wildcard", "true"))
                .hasStatus(403);
        then(this.rules).should(never()).add(any());
    }

    @Test
    void deleteShouldRemoveTheRule() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules/rule-tags/delete")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard/rules");
        then(this.rules).should().delete("rule-tags");
    }

    @Test
    void deleteWithoutCsrfShouldBeRefused() {
        assertThat(this.mvc.post().uri("/dashboard/rules/rule-tags/delete").with(DashboardFixtures.operator()))
                .hasStatus(403);
        then(this.rules).should(never()).delete(anyString());
    }

    @Test
    void moveUpAndDownShouldMoveByOnePlace() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules/rule-tags/move")
                        .param("direction", "up")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard/rules#rule-rule-tags");
        then(this.rules).should().move(eq("rule-tags"), eq(new MoveRuleRequest(0)));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules/rule-tags/move")
                        .param("direction", "down")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasStatus3xxRedirection();
        then(this.rules).should().move(eq("rule-tags"), eq(new MoveRuleRequest(2)));
    }

    @Test
    void moveWithUnknownDirectionShouldChangeNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/rules/rule-tags/move")
                        .param("direction", "sideways")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .flash()
                .containsKey("error");
        then(this.rules).should(never()).move(anyString(), any());
    }
}
