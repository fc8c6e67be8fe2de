package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;

import io.clawmesh.common.event.MeshEventTypes;
import io.clawmesh.common.event.MeshEventView;
import io.clawmesh.coordinator.events.EventStream;
import io.clawmesh.coordinator.security.OperatorToken;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ActivityController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class ActivityControllerTests {

    private static final Instant TIME = Instant.now().minusSeconds(30);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    EventStream events;

    @BeforeEach
    void events() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.events.recent(anyInt()))
                .willReturn(List.of(
                        node(1, MeshEventTypes.NODE_REGISTERED, "online", null, "registered at 127.0.0.1:9121"),
                        MeshEventView.ofRule(2, MeshEventTypes.RULE_ADDED, TIME, "rule-1", "gpu:true", "linux-gpu", 0),
                        message(3, MeshEventTypes.MESSAGE_ROUTED, "routed", null, null),
                        message(4, MeshEventTypes.MESSAGE_FAILED, "no_route", "no node is available", "private words"),
                        node(5, MeshEventTypes.NODE_STATUS_CHANGED, "offline", "online", "no heartbeat for 30s")));
    }

    @Test
    void activityShouldTellEveryEventInWordsNewestFirst() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/activity")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .containsSubsequence(
                        "Node mac-mini went from online to offline",
                        "no heartbeat for 30s",
                        "<span>Not delivered</span>",
                        "outcome-no-route",
                        "msg-4",
                        "no node is available",
                        "Answered by mac-mini in 12 ms",
                        "msg-3",
                        "Rule added at position 1: gpu:true → linux-gpu",
                        "rule-1",
                        "Node mac-mini joined")
                .containsPattern("\\d+ (s|min) ago")
                .doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
    }

    @Test
    void activityShouldShowMessageContentOnlyWhenTheEventCarriesIt() {
        assertThat(this.mvc.get().uri("/dashboard/activity").with(DashboardFixtures.operator()))
                .bodyText()
                .containsOnlyOnce("private words");
        given(this.events.recent(anyInt()))
                .willReturn(List.of(message(6, MeshEventTypes.MESSAGE_ROUTED, "routed", null, null)));
        assertThat(this.mvc.get().uri("/dashboard/activity").with(DashboardFixtures.operator()))
                .bodyText()
                .doesNotContain("class=\"reply small\"");
    }

    @Test
    void activityWhenAnonymousShouldRedirectToLoginAndItsFragmentShouldAnswer401() {
        assertThat(this.mvc.get().uri("/dashboard/activity")).hasRedirectedUrl("/dashboard/login");
        assertThat(this.mvc.get().uri("/dashboard/live/activity")).hasStatus(401);
    }

    private static MeshEventView node(
            long id, String type, String status, @Nullable String previous, @Nullable String detail) {
        return MeshEventView.ofNode(id, type, TIME, "node-mac", "mac-mini", status, previous, detail);
    }

    private static MeshEventView message(
            long id, String type, String outcome, @Nullable String detail, @Nullable String content) {
        boolean routed = outcome.equals("routed");
        return MeshEventView.ofMessage(
                id,
                type,
                TIME,
                routed ? "node-mac" : null,
                routed ? "mac-mini" : null,
                null,
                "msg-" + id,
                outcome,
                routed ? 12L : 0L,
                1,
                detail,
                content);
    }
}
