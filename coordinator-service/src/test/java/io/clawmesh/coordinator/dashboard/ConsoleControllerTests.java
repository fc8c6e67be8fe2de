package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
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

@WebMvcTest(ConsoleController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class ConsoleControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    MessageForwarder forwarder;

    @MockitoBean
    MeshOverview overview;

    @BeforeEach
    void mesh() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.overview.nodes()).willReturn(List.of(DashboardFixtures.row("mac-mini", NodeStatus.ONLINE)));
    }

    @Test
    void consoleShouldOfferEveryNodeAndAutomaticRouting() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/console")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .contains("any node, by the rules", "mac-mini (online)", "name=\"_csrf\"")
                .doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
    }

    @Test
    void sendAutoRoutedShouldShowNodeAndReply() {
        given(this.forwarder.route(any()))
                .willReturn(new RouteResponse("msg-1", "node-mac-mini", "mac-mini", "[claw-mesh echo] hi <b>"));
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/console")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .param("content", "hi <b>")
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .contains("id=\"result-node\"", ">mac-mini</a>", "[claw-mesh echo] hi &lt;b&gt;", "msg-1");
        ArgumentCaptor<RouteRequest> request = ArgumentCaptor.forClass(RouteRequest.class);
        then(this.forwarder).should().route(request.capture());
        assertThat(request.getValue().content()).isEqualTo("hi <b>");
        assertThat(request.getValue().source()).isEqualTo("dashboard:operator");
    }

    @Test
    void sendToChosenNodeShouldUseThatNode() {
        given(this.forwarder.routeTo(eq("mac-mini"), any()))
                .willReturn(new RouteResponse("msg-2", "node-mac-mini", "mac-mini", "pong"));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console")
                        .with(DashboardFixtures.operator())
                        .with(csrf())
                        .param("content", "ping")
                        .param("node", "mac-mini")
                        .param("sessionKey", "chat-7"))
                .bodyText()
                .contains("pong");
        ArgumentCaptor<RouteRequest> request = ArgumentCaptor.forClass(RouteRequest.class);
        then(this.forwarder).should().routeTo(eq("mac-mini"), request.capture());
        assertThat(request.getValue().sessionKey()).isEqualTo("chat-7");
        then(this.forwarder).should(never()).route(any());
    }

    @Test
    void sendBlankMessageShouldShowFieldErrorAndSendNothing() {
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/console")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .param("content", "   ")
                .exchange();
        assertThat(result).hasStatus(422);
        assertThat(result).bodyText().contains("id=\"content-error\"", "write a message to send");
        then(this.forwarder).should(never()).route(any());
    }

    @Test
    void sendWhenNoNodeIsAvailableShouldSayWhy() {
        given(this.forwarder.route(any()))
                .willThrow(new NoRouteAvailableException("no node is available: 0 nodes are online"));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console")
                        .with(DashboardFixtures.operator())
                        .with(csrf())
                        .param("content", "hello"))
                .bodyText()
                .contains("Not delivered", "id=\"result-error\"", "no node is available");
    }

    @Test
    void sendWithoutCsrfShouldBeRefused() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console")
                        .with(DashboardFixtures.operator())
                        .param("content", "hello"))
                .hasStatus(403);
        then(this.forwarder).should(never()).route(any());
        then(this.forwarder).should(never()).routeTo(anyString(), any());
    }

    @Test
    void consoleWhenAnonymousShouldRedirectToLogin() {
        assertThat(this.mvc.get().uri("/dashboard/console")).hasRedirectedUrl("/dashboard/login");
    }
}
