package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.coordinator.security.OperatorToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(controllers = LoginController.class, properties = "mesh.dashboard.users.alice={noop}alice-secret-password")
@Import(DashboardFixtures.SliceConfiguration.class)
class LoginControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @BeforeEach
    void operatorToken() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
    }

    @Test
    void loginPageWhenAnonymousShouldShowTheFormWithCsrfAndNoToken() {
        MvcTestResult result = this.mvc.get().uri("/dashboard/login").exchange();
        assertThat(result).hasStatusOk().hasViewName("dashboard/login");
        assertThat(result).bodyText().contains("name=\"_csrf\"").doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
        assertThat(result).headers().containsHeader("Content-Security-Policy");
    }

    @Test
    void rootWhenAnonymousShouldRedirectToLogin() {
        assertThat(this.mvc.get().uri("/").exchange()).hasStatus3xxRedirection().hasRedirectedUrl("/dashboard/login");
    }

    @Test
    void loginWithOperatorTokenShouldOpenTheDashboard() {
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/login")
                .param("username", "operator")
                .param("password", DashboardFixtures.OPERATOR_TOKEN)
                .with(csrf())
                .exchange();
        assertThat(result).hasStatus3xxRedirection().hasRedirectedUrl("/dashboard");
        assertThat(result.getRequest().getSession(false)).isNotNull();
    }

    @Test
    void loginWithConfiguredUserShouldOpenTheDashboard() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/login")
                        .param("username", "alice")
                        .param("password", "alice-secret-password")
                        .with(csrf()))
                .hasStatus3xxRedirection()
                .hasRedirectedUrl("/dashboard");
    }

    @Test
    void loginWithWrongPasswordShouldReturnToLoginWithAnError() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/login")
                        .param("username", "operator")
                        .param("password", "not-the-token")
                        .with(csrf()))
                .hasStatus3xxRedirection()
                .hasRedirectedUrl("/dashboard/login?error");
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/login")
                        .param("username", "alice")
                        .param("password", DashboardFixtures.OPERATOR_TOKEN)
                        .with(csrf()))
                .as("the operator token is no password for another user")
                .hasRedirectedUrl("/dashboard/login?error");
    }

    @Test
    void loginWithoutCsrfTokenShouldBeRefused() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/login")
                        .param("username", "operator")
                        .param("password", DashboardFixtures.OPERATOR_TOKEN))
                .hasStatus(403);
    }

    @Test
    void loginPageWithErrorShouldSayWhatWentWrong() {
        assertThat(this.mvc.get().uri("/dashboard/login?error")).bodyText().contains("Wrong user name or password");
    }

    @Test
    void logoutShouldNeedCsrfAndThenLeadToLogin() {
        assertThat(this.mvc.post().uri("/dashboard/logout").with(DashboardFixtures.operator()))
                .hasStatus(403);
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/logout")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasStatus3xxRedirection()
                .hasRedirectedUrl("/dashboard/login?logout");
    }
}
