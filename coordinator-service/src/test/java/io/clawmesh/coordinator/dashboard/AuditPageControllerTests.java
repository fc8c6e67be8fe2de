package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import io.clawmesh.coordinator.audit.Actor;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.security.OperatorToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(controllers = AuditPageController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class AuditPageControllerTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    AuditTrail trail;

    @MockitoBean
    OperatorToken tokens;

    @BeforeEach
    void entries() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        this.trail.record(
                Actor.operator("abcd1234"),
                AuditAction.RULE_CREATE,
                "rule-000000000001",
                "gpu:true",
                AuditTrail.SUCCESS);
        this.trail.record(
                Actor.dashboard("mallory", "203.0.113.9"),
                AuditAction.DASHBOARD_LOGIN_FAILED,
                "mallory",
                "<script>alert(1)</script>",
                AuditTrail.FAILURE);
    }

    @Test
    void auditShouldListEntriesNewestFirstWithActorAddressAndOutcome() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/audit")
                .with(DashboardFixtures.operator())
                .exchange();

        assertThat(result).hasStatusOk().hasViewName("dashboard/audit");
        assertThat(result)
                .bodyText()
                .containsSubsequence(
                        "dashboard:mallory",
                        "203.0.113.9",
                        "dashboard.login_failed",
                        "failure",
                        "operator:abcd1234",
                        "rule.create",
                        "rule-000000000001",
                        "success")
                .contains("&lt;script&gt;")
                .doesNotContain("<script>alert(1)</script>")
                .contains("aria-current=\"page\">Audit</a>");
    }

    @Test
    void auditFilteredByActionShouldShowOnlyThatAction() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/audit?action=rule.create")
                .with(DashboardFixtures.operator())
                .exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyText().contains("rule-000000000001").doesNotContain("dashboard:mallory");
    }

    @Test
    void auditWithAStaleCursorOrUnknownActionShouldStillShowThePage() {
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/audit?cursor=garbage&action=rule.explode")
                        .with(DashboardFixtures.operator()))
                .hasStatusOk();
    }

    @Test
    void auditWhenAnonymousShouldRedirectToTheLogin() {
        assertThat(this.mvc.get().uri("/dashboard/audit")).hasStatus3xxRedirection();
    }
}
