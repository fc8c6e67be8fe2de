package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.tasks.QueueFullException;
import io.clawmesh.coordinator.tasks.Task;
import io.clawmesh.coordinator.tasks.TaskBoard;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's streaming path: its script posts the console form here, the message becomes a task (submitted through
 * {@link TaskBoard} like any other, with the console's node or the rules), and the script follows the task's event
 * stream and can cancel it. Without the script the form posts to {@link ConsoleController} and waits for the reply.
 * Refusals are RFC 9457 problems.
 */
@RestController
class ConsoleTaskController {

    private final TaskBoard board;

    private final MeshOverview overview;

    ConsoleTaskController(TaskBoard board, MeshOverview overview) {
        this.board = board;
        this.overview = overview;
    }

    /** 202 with the task's links; 400 for no message, 404 for an unknown node, 503 for an offline one, 429 when full. */
    @PostMapping(
            path = DashboardPaths.CONSOLE_TASKS,
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> send(@ModelAttribute ConsoleForm form, Principal principal, HttpServletRequest request) {
        if (form.getContent().isBlank()) {
            return problem(ProblemType.INVALID_INPUT, "write a message to send");
        }
        String target = form.getNode().isBlank() ? null : form.getNode().strip();
        if (target != null) {
            NodeRow node = this.overview.node(target).orElse(null);
            if (node == null) {
                return problem(ProblemType.NODE_NOT_FOUND, "no node '" + target + "' is registered");
            }
            if (node.offline()) {
                // the console is interactive: a task for an offline node would only wait for it to come back
                return problem(
                        ProblemType.NODE_UNAVAILABLE,
                        "node " + node.name() + " is offline; send to another node or by the rules");
            }
        }
        TaskRequest task = new TaskRequest(
                form.getContent(),
                "dashboard:" + principal.getName(),
                form.getSessionKey().isBlank() ? null : form.getSessionKey().strip(),
                target,
                null,
                null,
                null);
        try {
            Task submitted = this.board.submit(task, null).task();
            String base = request.getContextPath() + DashboardPaths.TASKS + "/" + submitted.id();
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(new ConsoleTask(
                            submitted.id(), submitted.status().wireName(), base + "/events", base, base + "/cancel"));
        } catch (InvalidInputException ex) {
            return problem(ProblemType.INVALID_INPUT, ex.getMessage());
        } catch (NodeNotFoundException ex) {
            return problem(ProblemType.NODE_NOT_FOUND, ex.getMessage());
        } catch (QueueFullException ex) {
            return ResponseEntity.status(ProblemType.QUEUE_FULL.status())
                    .header(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(ex.retryAfter().toSeconds()))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(ProblemType.QUEUE_FULL, ex.getMessage()));
        }
    }

    private static ResponseEntity<?> problem(ProblemType type, String detail) {
        return ResponseEntity.status(type.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(type, detail));
    }
}
