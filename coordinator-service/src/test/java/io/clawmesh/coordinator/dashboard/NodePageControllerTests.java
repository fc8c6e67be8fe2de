package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.security.OperatorToken;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(NodePageController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class NodePageControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    MeshOverview overview;

    @MockitoBean
    NodeRegistry registry;

    @BeforeEach
    void nodes() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.overview.node("node-dead"))
                .willReturn(Optional.of(DashboardFixtures.row("dead", NodeStatus.OFFLINE)));
        given(this.overview.node("node-alive"))
                .willReturn(Optional.of(DashboardFixtures.row("alive", NodeStatus.ONLINE)));
        given(this.overview.node("node-nobody")).willReturn(Optional.empty());
        given(this.overview.recentMessages(anyString())).willReturn(List.of());
    }

    @Test
    void nodePageWhenAnonymousShouldRedirectToLogin() {
        assertThat(this.mvc.get().uri("/dashboard/nodes/node-alive")).hasRedirectedUrl("/dashboard/login");
    }

    @Test
    void nodePageShouldShowCapabilitiesAndOfferRemovalOnlyWhenOffline() {
        MvcTestResult alive = this.mvc
                .get()
                .uri("/dashboard/nodes/node-alive")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(alive).hasStatusOk();
        assertThat(alive)
                .bodyText()
                .contains("alive", "docker", "gpu", "Only offline nodes can be removed")
                .doesNotContain("id=\"remove-node\"", DashboardFixtures.OPERATOR_TOKEN);
        assertThat(this.mvc.get().uri("/dashboard/nodes/node-dead").with(DashboardFixtures.operator()))
                .bodyText()
                .contains("id=\"remove-node\"", "name=\"_csrf\"");
    }

    @Test
    void nodePageOfUnknownNodeShouldAnswer404Page() {
        assertThat(this.mvc.get().uri("/dashboard/nodes/node-nobody").with(DashboardFixtures.operator()))
                .hasStatus(404)
                .hasViewName("dashboard/not-found");
    }

    @Test
    void removeOfflineNodeShouldDeregisterItAndGoBackToOverview() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/nodes/node-dead/remove")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard")
                .flash()
                .containsEntry("notice", "Removed node dead.");
        then(this.registry).should().deregister(eq("node-dead"), anyString());
    }

    @Test
    void removeLiveNodeShouldBeRefusedAndChangeNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/nodes/node-alive/remove")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard/nodes/node-alive")
                .flash()
                .containsKey("error");
        then(this.registry).should(never()).deregister(anyString(), anyString());
    }

    @Test
    void removeWithoutCsrfShouldBeRefusedAndChangeNothing() {
        assertThat(this.mvc.post().uri("/dashboard/nodes/node-dead/remove").with(DashboardFixtures.operator()))
                .hasStatus(403);
        then(this.registry).should(never()).deregister(anyString(), anyString());
    }
}
