package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.tasks.QueueFullException;
import io.clawmesh.coordinator.tasks.TaskBoard;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ConsoleTaskController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class ConsoleTaskControllerTests {

    static final String ID = "task-0123456789abcdef0123";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    TaskBoard board;

    @MockitoBean
    MeshOverview overview;

    @BeforeEach
    void mesh() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        given(this.overview.node("mac-mini"))
                .willReturn(Optional.of(DashboardFixtures.row("mac-mini", NodeStatus.ONLINE)));
        given(this.overview.node("old-box"))
                .willReturn(Optional.of(DashboardFixtures.row("old-box", NodeStatus.OFFLINE)));
        given(this.overview.node("nobody")).willReturn(Optional.empty());
        given(this.board.submit(any(), isNull()))
                .willReturn(
                        new TaskBoard.Submitted(DashboardFixtures.task(ID, TaskStatus.QUEUED, "hi", null, null), true));
    }

    @Test
    void sendShouldSubmitATaskWithTheConsolesChoicesAndAnswerWhereToFollowIt() {
        MvcTestResult result = send().param("content", "hi <b>")
                .param("node", "mac-mini")
                .param("sessionKey", " chat-7 ")
                .exchange();
        assertThat(result).hasStatus(202);
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                        {"task_id": "%s", "status": "queued", "events": "/dashboard/tasks/%s/events",
                         "page": "/dashboard/tasks/%s", "cancel": "/dashboard/tasks/%s/cancel"}
                        """.formatted(ID, ID, ID, ID));
        ArgumentCaptor<TaskRequest> request = ArgumentCaptor.forClass(TaskRequest.class);
        then(this.board).should().submit(request.capture(), isNull());
        assertThat(request.getValue())
                .isEqualTo(new TaskRequest("hi <b>", "dashboard:operator", "chat-7", "mac-mini", null, null, null));
    }

    @Test
    void sendWithoutANodeShouldLeaveTheChoiceToTheRules() {
        assertThat(send().param("content", "hi")).hasStatus(202);
        ArgumentCaptor<TaskRequest> request = ArgumentCaptor.forClass(TaskRequest.class);
        then(this.board).should().submit(request.capture(), isNull());
        assertThat(request.getValue().target()).isNull();
        assertThat(request.getValue().sessionKey()).isNull();
    }

    @Test
    void sendBlankMessageShouldAnswerAProblemAndSubmitNothing() {
        assertProblem(send().param("content", "  ").exchange(), 400, "invalid-input", "write a message to send");
        assertProblem(send().exchange(), 400, "invalid-input", "write a message to send");
    }

    @Test
    void sendToAnOfflineNodeShouldAnswer503AndSubmitNothing() {
        assertProblem(
                send().param("content", "hi").param("node", "old-box").exchange(),
                503,
                "node-unavailable",
                "node old-box is offline");
    }

    @Test
    void sendToAnUnknownNodeShouldAnswer404AndSubmitNothing() {
        assertProblem(
                send().param("content", "hi").param("node", "nobody").exchange(), 404, "node-not-found", "nobody");
    }

    @Test
    void sendThatTheBoardRefusesShouldAnswerItsReason() {
        given(this.board.submit(any(), isNull())).willThrow(new InvalidInputException("content is over 1 MiB"));
        MvcTestResult result = send().param("content", "x").exchange();
        assertThat(result).hasStatus(400);
        assertThat(result).bodyText().contains("content is over 1 MiB");
    }

    @Test
    void sendWhenTheQueueIsFullShouldAnswer429WithRetryAfter() {
        given(this.board.submit(any(), isNull())).willThrow(new QueueFullException(10, Duration.ofSeconds(7)));
        MvcTestResult result = send().param("content", "x").exchange();
        assertThat(result).hasStatus(429);
        assertThat(result).hasHeader("Retry-After", "7");
        assertThat(result).bodyText().contains("urn:clawmesh:problem:queue-full");
    }

    @Test
    void sendWithoutCsrfShouldBeRefusedAndSubmitNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console/tasks")
                        .with(DashboardFixtures.operator())
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .param("content", "hi"))
                .hasStatus(403);
        then(this.board).should(never()).submit(any(), any());
    }

    @Test
    void sendAsJsonShouldBeRefusedAndSubmitNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console/tasks")
                        .with(DashboardFixtures.operator())
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"content\": \"hi\"}"))
                .hasStatus(415);
        then(this.board).should(never()).submit(any(), any());
    }

    @Test
    void sendWhenAnonymousShouldAnswer401AndSubmitNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/console/tasks")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .param("content", "hi"))
                .hasStatus(401);
        then(this.board).should(never()).submit(any(), any());
    }

    private MockMvcTester.MockMvcRequestBuilder send() {
        return this.mvc
                .post()
                .uri("/dashboard/console/tasks")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON);
    }

    private void assertProblem(MvcTestResult result, int status, String type, String detail) {
        assertThat(result).hasStatus(status);
        assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:clawmesh:problem:" + type);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
        then(this.board).should(never()).submit(any(), any());
    }
}
