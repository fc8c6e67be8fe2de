package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import io.clawmesh.coordinator.tasks.Task;
import io.clawmesh.coordinator.tasks.TaskBoard;
import io.clawmesh.coordinator.tasks.TaskEventWriter;
import io.clawmesh.coordinator.tasks.TaskFinishedException;
import io.clawmesh.coordinator.tasks.TaskNotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The tasks page (newest first, filtered by status, live from the {@code task.*} events), a task's own page with its
 * reply, the cancel button, and a task's event stream for the page script, all behind the dashboard session. It only
 * uses {@link TaskBoard} and {@link TaskEventWriter}, as the API does.
 */
@Controller
class TaskPageController {

    /** Tasks on one page; older ones are a link away. */
    static final int PAGE_SIZE = 50;

    /** The filters offered, in the order of a task's life; blank shows every task. */
    static final List<String> FILTERS =
            Arrays.stream(TaskStatus.values()).map(TaskStatus::wireName).toList();

    private final TaskBoard board;

    private final TaskEventWriter writer;

    private final Clock clock;

    TaskPageController(TaskBoard board, TaskEventWriter writer, Clock clock) {
        this.board = board;
        this.writer = writer;
        this.clock = clock;
    }

    @GetMapping(DashboardPaths.TASKS)
    String tasks(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        fill(model, status, cursor);
        return "dashboard/tasks";
    }

    /** The live part of the tasks page, with the same filter. */
    @GetMapping(DashboardPaths.LIVE + "/tasks")
    String live(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        fill(model, status, cursor);
        return "dashboard/tasks :: live";
    }

    /** @throws TaskNotFoundException answered with the not-found page */
    @GetMapping(DashboardPaths.TASK)
    String task(@PathVariable String id, Model model) {
        fillTask(model, id);
        return "dashboard/task";
    }

    @GetMapping(DashboardPaths.LIVE + "/tasks/{id}")
    String liveTask(@PathVariable String id, Model model) {
        fillTask(model, id);
        return "dashboard/task :: live";
    }

    /**
     * Cancels a task through {@link TaskBoard#cancel} and goes back to the page it was asked from, saying what
     * happened: canceled, or why not (it finished first, or it is gone).
     *
     * @param from {@code task} to go back to the task's page; anything else goes back to the list
     */
    @PostMapping(DashboardPaths.TASK_CANCEL)
    String cancel(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String from,
            RedirectAttributes redirect) {
        String back = DashboardPaths.TASKS;
        try {
            Task task = this.board.cancel(id);
            if ("task".equals(from)) {
                back = DashboardPaths.TASKS + "/" + task.id();
            }
            if (task.status() == TaskStatus.CANCELED) {
                redirect.addFlashAttribute("notice", "Canceled task " + task.id() + ".");
            } else {
                redirect.addFlashAttribute(
                        "error",
                        "Task " + task.id() + " finished (" + task.status().wireName()
                                + ") before the cancel reached it.");
            }
        } catch (TaskFinishedException ex) {
            if ("task".equals(from)) {
                back = DashboardPaths.TASKS + "/" + id;
            }
            // the node's own "canceled" can end the run before the board records this cancel, which then finds the
            // task finished: it is canceled all the same (or was already), which is what the operator wanted
            if (statusOf(id) == TaskStatus.CANCELED) {
                redirect.addFlashAttribute("notice", "Task " + id + " is canceled.");
            } else {
                redirect.addFlashAttribute(
                        "error", "Task " + id + " had already finished: there was nothing to cancel.");
            }
        } catch (TaskNotFoundException ex) {
            redirect.addFlashAttribute("error", "There is no task " + id + " (any more).");
        }
        return "redirect:" + back;
    }

    /**
     * The task's event stream (ADR 0008) for the page script: the same events as {@code GET /api/v1/tasks/{id}/events}
     * but authenticated by the session, since an EventSource cannot send a bearer token. A reconnecting browser sends
     * {@code Last-Event-ID} by itself; an id the stream never gave starts it afresh, which the script tolerates (every
     * {@code delta} says where its text ends).
     */
    @GetMapping(DashboardPaths.TASK_EVENTS)
    void events(
            @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            HttpServletResponse response)
            throws IOException {
        try {
            this.writer.write(id, lastEventId, response);
        } catch (InvalidInputException ex) {
            this.writer.write(id, null, response);
        }
    }

    private @Nullable TaskStatus statusOf(String id) {
        try {
            return this.board.find(id).status();
        } catch (TaskNotFoundException ex) {
            return null;
        }
    }

    /** A filter or a cursor that no link of the page gives: the list page says so, with every filter to choose. */
    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String badFilter(InvalidInputException ex, Model model) {
        model.addAttribute("page", "tasks");
        model.addAttribute("filters", FILTERS);
        model.addAttribute("status", "");
        model.addAttribute("tasks", List.of());
        model.addAttribute("next", null);
        model.addAttribute("error", ex.getMessage());
        return "dashboard/tasks";
    }

    private void fill(Model model, @Nullable String status, @Nullable String cursor) {
        TaskStatus filter = parse(status);
        TaskPage page = this.board.list(filter, null, blankToNull(cursor), PAGE_SIZE);
        Instant now = this.clock.instant();
        model.addAttribute("page", "tasks");
        model.addAttribute("filters", FILTERS);
        model.addAttribute("status", (filter != null) ? filter.wireName() : "");
        model.addAttribute("cursor", blankToNull(cursor));
        model.addAttribute(
                "tasks", page.tasks().stream().map((view) -> row(view, now)).toList());
        model.addAttribute("next", page.nextCursor());
    }

    private void fillTask(Model model, String id) {
        model.addAttribute("page", "tasks");
        model.addAttribute("task", TaskRow.of(this.board.find(id), this.clock.instant()));
    }

    /**
     * A listed task as a row. The list carries no content: an unfinished task's row reads it from its own record,
     * since its preview is the message (a finished one shows its reply or error).
     */
    private TaskRow row(TaskView view, Instant now) {
        if (view.status().finished()) {
            return TaskRow.of(view, null, null, null, now);
        }
        try {
            return TaskRow.of(this.board.find(view.taskId()), now);
        } catch (TaskNotFoundException ex) {
            return TaskRow.of(view, null, null, null, now);
        }
    }

    static @Nullable TaskStatus parse(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TaskStatus.fromWire(status.strip());
        } catch (IllegalArgumentException ex) {
            throw new InvalidInputException("status: " + ex.getMessage());
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value;
    }
}
