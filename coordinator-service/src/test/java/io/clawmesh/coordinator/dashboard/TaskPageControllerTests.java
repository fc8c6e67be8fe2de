package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.tasks.Task;
import io.clawmesh.coordinator.tasks.TaskBoard;
import io.clawmesh.coordinator.tasks.TaskEventWriter;
import io.clawmesh.coordinator.tasks.TaskFinishedException;
import io.clawmesh.coordinator.tasks.TaskNotFoundException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(TaskPageController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class TaskPageControllerTests {

    static final String QUEUED = "task-00000000000000000001";

    static final String RUNNING = "task-00000000000000000002";

    static final String DONE = "task-00000000000000000003";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    TaskBoard board;

    @MockitoBean
    TaskEventWriter writer;

    @BeforeEach
    void tasks() {
        given(this.tokens.isOperator(DashboardFixtures.OPERATOR_TOKEN)).willReturn(true);
        Task queued =
                DashboardFixtures.task(QUEUED, TaskStatus.QUEUED, "summarise <script>alert(1)</script>", null, null);
        Task running = DashboardFixtures.task(RUNNING, TaskStatus.RUNNING, "write a poem", null, null);
        Task done = DashboardFixtures.task(DONE, TaskStatus.SUCCEEDED, "ping", "pong <b>bold</b>", null);
        given(this.board.list(any(), any(), any(), anyInt()))
                .willReturn(new TaskPage(List.of(queued.view(), running.view(), done.view()), null));
        given(this.board.find(QUEUED)).willReturn(queued);
        given(this.board.find(RUNNING)).willReturn(running);
        given(this.board.find(DONE)).willReturn(done);
    }

    @Test
    void tasksShouldListEveryTaskEscapedWithACancelButtonOnlyWhileUnfinished() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/tasks")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .contains("id=\"task-" + QUEUED + "\"", "id=\"task-" + RUNNING + "\"", "id=\"task-" + DONE + "\"")
                .contains("summarise &lt;script&gt;alert(1)&lt;/script&gt;", "pong &lt;b&gt;bold&lt;/b&gt;")
                .doesNotContain("<script>alert(1)", "<b>bold</b>")
                .contains("id=\"cancel-" + QUEUED + "\"", "id=\"cancel-" + RUNNING + "\"")
                .doesNotContain("id=\"cancel-" + DONE + "\"")
                .contains("data-live-events=\"task.\"", "name=\"_csrf\"", "mac-mini", "10.0 s")
                .doesNotContain(DashboardFixtures.OPERATOR_TOKEN);
        then(this.board).should().list(isNull(), isNull(), isNull(), eq(TaskPageController.PAGE_SIZE));
    }

    @Test
    void tasksWithAStatusFilterShouldListOnlyThatStatusAndKeepTheFilterLive() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/tasks?status=running")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result).bodyText().contains("/dashboard/live/tasks?status=running");
        then(this.board).should().list(eq(TaskStatus.RUNNING), isNull(), isNull(), anyInt());
    }

    @Test
    void tasksWithAnUnknownStatusShouldAnswer400AndSayWhich() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/tasks?status=sleeping")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatus(400);
        assertThat(result).bodyText().contains("unknown task status &#39;sleeping&#39;", "id=\"filter-running\"");
        then(this.board).should(never()).list(any(), any(), any(), anyInt());
    }

    @Test
    void tasksWithACursorTheBoardRefusesShouldAnswer400() {
        given(this.board.list(any(), any(), eq("forged"), anyInt()))
                .willThrow(new InvalidInputException("cursor is not one this coordinator issued"));
        assertThat(this.mvc.get().uri("/dashboard/tasks?cursor=forged").with(DashboardFixtures.operator()))
                .hasStatus(400)
                .bodyText()
                .contains("cursor is not one this coordinator issued");
    }

    @Test
    void liveFragmentShouldHoldOnlyTheList() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/live/tasks")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .startsWith("<div id=\"live\">")
                .contains(QUEUED)
                .doesNotContain("<h1>");
    }

    @Test
    void taskPageShouldShowTheMessageAndTheReplyEscaped() {
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/tasks/" + DONE)
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .contains("id=\"task-reply\">pong &lt;b&gt;bold&lt;/b&gt;</pre>", "id=\"task-content\">ping</pre>")
                .doesNotContain("id=\"cancel-task\"", "data-task-stream");
    }

    @Test
    void runningTaskPageShouldStreamItsReplyAndOfferCancel() {
        assertThat(this.mvc.get().uri("/dashboard/tasks/" + RUNNING).with(DashboardFixtures.operator()))
                .bodyText()
                .contains("id=\"cancel-task\"", "data-task-stream=\"/dashboard/tasks/" + RUNNING + "/events\"");
    }

    @Test
    void unknownTaskShouldAnswerTheNotFoundPage() {
        given(this.board.find(anyString())).willThrow(new TaskNotFoundException("task-ffffffffffffffffffff"));
        MvcTestResult result = this.mvc
                .get()
                .uri("/dashboard/tasks/task-ffffffffffffffffffff")
                .with(DashboardFixtures.operator())
                .exchange();
        assertThat(result).hasStatus(404);
        assertThat(result).bodyText().contains("Task not found");
    }

    @Test
    void cancelShouldCancelThroughTheBoardAndSaySo() {
        given(this.board.cancel(RUNNING))
                .willReturn(DashboardFixtures.task(RUNNING, TaskStatus.CANCELED, "write a poem", null, "canceled"));
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .exchange();
        assertThat(result).hasRedirectedUrl("/dashboard/tasks");
        assertThat(result).flash().containsEntry("notice", "Canceled task " + RUNNING + ".");
        then(this.board).should().cancel(RUNNING);
    }

    @Test
    void cancelFromTheTaskPageShouldGoBackToIt() {
        given(this.board.cancel(RUNNING))
                .willReturn(DashboardFixtures.task(RUNNING, TaskStatus.CANCELED, "write a poem", null, "canceled"));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                        .param("from", "task")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard/tasks/" + RUNNING);
    }

    @Test
    void cancelThatLostTheRaceShouldSayTheTaskFinishedFirst() {
        given(this.board.cancel(RUNNING))
                .willReturn(DashboardFixtures.task(RUNNING, TaskStatus.SUCCEEDED, "write a poem", "a poem", null));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .flash()
                .containsEntry("error", "Task " + RUNNING + " finished (succeeded) before the cancel reached it.");
    }

    @Test
    void cancelOfAFinishedTaskShouldSayThereWasNothingToCancel() {
        willThrow(new TaskFinishedException(DONE, TaskStatus.SUCCEEDED))
                .given(this.board)
                .cancel(DONE);
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + DONE + "/cancel")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .flash()
                .containsEntry("error", "Task " + DONE + " had already finished: there was nothing to cancel.");
    }

    @Test
    void cancelThatFindsTheTaskCanceledByItsNodeFirstShouldSayItIsCanceled() {
        willThrow(new TaskFinishedException(RUNNING, TaskStatus.CANCELED))
                .given(this.board)
                .cancel(RUNNING);
        given(this.board.find(RUNNING))
                .willReturn(DashboardFixtures.task(RUNNING, TaskStatus.CANCELED, "write a poem", null, "canceled"));
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                        .with(DashboardFixtures.operator())
                        .with(csrf()))
                .flash()
                .containsEntry("notice", "Task " + RUNNING + " is canceled.");
    }

    @Test
    void cancelOfAnUnknownOrMalformedIdShouldSaySoAndGoBackToTheList() {
        given(this.board.cancel("nope")).willThrow(new TaskNotFoundException("nope"));
        MvcTestResult result = this.mvc
                .post()
                .uri("/dashboard/tasks/nope/cancel")
                .param("from", "task")
                .with(DashboardFixtures.operator())
                .with(csrf())
                .exchange();
        assertThat(result).hasRedirectedUrl("/dashboard/tasks");
        assertThat(result).flash().containsEntry("error", "There is no task nope (any more).");
    }

    @Test
    void cancelWithoutCsrfShouldBeRefusedAndCancelNothing() {
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                        .with(DashboardFixtures.operator()))
                .hasStatus(403)
                .bodyText()
                .contains("Nothing was changed");
        then(this.board).should(never()).cancel(anyString());
    }

    @Test
    void pagesWhenAnonymousShouldRedirectToLoginAndBackgroundRequestsShouldAnswer401() throws Exception {
        assertThat(this.mvc.get().uri("/dashboard/tasks")).hasRedirectedUrl("/dashboard/login");
        assertThat(this.mvc.get().uri("/dashboard/tasks/" + RUNNING)).hasRedirectedUrl("/dashboard/login");
        assertThat(this.mvc.get().uri("/dashboard/live/tasks")).hasStatus(401);
        assertThat(this.mvc.get().uri("/dashboard/tasks/" + RUNNING + "/events"))
                .hasStatus(401);
        assertThat(this.mvc
                        .post()
                        .uri("/dashboard/tasks/" + RUNNING + "/cancel")
                        .with(csrf()))
                .hasRedirectedUrl("/dashboard/login");
        then(this.board).should(never()).cancel(anyString());
        then(this.writer).should(never()).write(anyString(), any(), any());
    }

    @Test
    void eventsShouldRelayTheTaskStreamFromTheBrowsersLastEventId() throws Exception {
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/tasks/" + RUNNING + "/events")
                        .header("Last-Event-ID", "d42")
                        .with(DashboardFixtures.operator()))
                .hasStatusOk();
        then(this.writer).should().write(eq(RUNNING), eq("d42"), any());
    }

    @Test
    void eventsWithAnIdTheStreamNeverGivesShouldStartAfresh() throws Exception {
        willThrow(new InvalidInputException("Last-Event-ID"))
                .given(this.writer)
                .write(eq(RUNNING), eq("yesterday"), any());
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/tasks/" + RUNNING + "/events")
                        .header("Last-Event-ID", "yesterday")
                        .with(DashboardFixtures.operator()))
                .hasStatusOk();
        then(this.writer).should().write(eq(RUNNING), isNull(), any());
    }

    @Test
    void eventsOfAnUnknownTaskShouldAnswer404() throws Exception {
        willThrow(new TaskNotFoundException("task-ffffffffffffffffffff"))
                .given(this.writer)
                .write(eq("task-ffffffffffffffffffff"), any(), any());
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/tasks/task-ffffffffffffffffffff/events")
                        .with(DashboardFixtures.operator()))
                .hasStatus(404);
    }
}
