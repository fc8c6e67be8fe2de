package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.tls.TlsStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(OverviewController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class OverviewControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    MeshOverview overview;

    @MockitoBean
    TlsStatus tls;

    @BeforeEach
    void mesh() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.overview.summary()).willReturn(new MeshSummary(2, 1, 0, 0, 1, 3, 42, 7));
        given(this.overview.nodes())
                .willReturn(List.of(
                        DashboardFixtures.row("linux-gpu", NodeStatus.ONLINE),
                        DashboardFixtures.row("old-box", NodeStatus.OFFLINE)));
        given(this.overview.recentMessages()).willReturn(List.of());
    }

    @Test
    void overviewWhenAnonymousShouldRedirectToLogin() {
        assertThat(this.mvc.get().uri("/dashboard")).hasStatus3xxRedirection().hasRedirectedUrl("/dashboard/login");
    }

    @Test
    void liveFragmentWhenAnonymousShouldAnswer401NotARedirect() {
        assertThat(this.mvc.get().uri("/dashboard/live/overview")).hasStatus(401);
    }

    @Test
    void overviewShouldShowTotalsAndEveryNodeWithStatusLoadAndHeartbeat() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk().hasViewName("dashboard/overview");
        assertThat(result)
                .bodyText()
                .contains("id=\"total-nodes\">2<", "id=\"total-offline\">1<", "id=\"total-rate\">42<")
                .contains("id=\"total-failovers\">7<", "id=\"total-inflight\">3<")
                .contains("linux-gpu", "old-box", "status-online", "status-offline")
                .contains("linux/amd64 · GPU · 32 GB", "12 s ago", "1 / 4", "<meter")
                .contains("data-events=\"/dashboard/events\"")
                .doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
    }

    @Test
    void overviewWhenServingHttpsShouldShowTheCaFingerprintToPinAndNothingWithoutIt() {
        CaFingerprint fingerprint = CaFingerprint.parse("sha256:" + "0f".repeat(32));
        given(this.tls.caFingerprint()).willReturn(fingerprint);

        assertThat(this.mvc.get().uri("/dashboard").with(DashboardFixtures.operator()))
                .bodyText()
                .contains("id=\"ca-fingerprint\">" + fingerprint + "<");

        given(this.tls.caFingerprint()).willReturn(null);
        assertThat(this.mvc.get().uri("/dashboard").with(DashboardFixtures.operator()))
                .bodyText()
                .doesNotContain("ca-fingerprint");
    }

    @Test
    void liveFragmentShouldHoldOnlyTheLivePart() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/live/overview")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .startsWith("<div id=\"live\">")
                .contains("linux-gpu")
                .doesNotContain("<html");
    }
}
