package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import io.clawmesh.coordinator.registry.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The task API (SPEC §16): submit, read, list, follow and cancel durable tasks. */
@RestController
class TaskController {

    private final TaskBoard board;

    private final TaskEventStreams streams;

    TaskController(TaskBoard board, TaskEventStreams streams) {
        this.board = board;
        this.streams = streams;
    }

    /** 202 with the new task; 200 with the existing one when the {@code Idempotency-Key} named it. */
    @PostMapping(path = ApiPaths.TASKS, consumes = "application/json")
    ResponseEntity<TaskAccepted> submit(
            @RequestBody TaskRequest request,
            @RequestHeader(name = ApiPaths.IDEMPOTENCY_KEY_HEADER, required = false) @Nullable String idempotencyKey,
            @Nullable Principal principal) {
        TaskBoard.Submitted submitted = this.board.submit(request, idempotencyKey, Caller.clientKeyIdOf(principal));
        TaskAccepted accepted = submitted.task().accepted();
        return ResponseEntity.status(submitted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create(accepted.links().self()))
                .body(accepted);
    }

    @GetMapping(ApiPaths.TASK)
    TaskView get(@PathVariable String id, @Nullable Principal principal) {
        return this.board.find(id, Caller.clientKeyIdOf(principal)).view();
    }

    @GetMapping(ApiPaths.TASKS)
    TaskPage list(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String node,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "50") int limit,
            @Nullable Principal principal) {
        return this.board.list(parseStatus(status), node, Caller.clientKeyIdOf(principal), cursor, limit);
    }

    /** Server-sent events; {@code Last-Event-ID} (or {@code ?last_event_id=}) resumes. */
    @GetMapping(ApiPaths.TASK_EVENTS)
    void events(
            @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParameter,
            HttpServletResponse response,
            @Nullable Principal principal)
            throws IOException {
        String owner = Caller.clientKeyIdOf(principal);
        if (owner != null) {
            this.board.find(id, owner); // 404 for another's task, before the stream starts
        }
        String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
        this.streams.serve(id, lastEventId, response);
    }

    /** Cancels the task and answers it as it is afterwards; 409 when it had finished already. */
    @DeleteMapping(ApiPaths.TASK)
    TaskView cancel(@PathVariable String id, @Nullable Principal principal) {
        return this.board.cancel(id, Caller.clientKeyIdOf(principal)).view();
    }

    private static @Nullable TaskStatus parseStatus(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TaskStatus.fromWire(status.strip());
        } catch (IllegalArgumentException ex) {
            throw new InvalidInputException("status: " + ex.getMessage());
        }
    }
}
