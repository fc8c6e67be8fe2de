package io.clawmesh.coordinator.tasks;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The follower's side of {@link TaskStreamRelay}: another replica asks for a task's event stream as this replica
 * writes it. Never relayed onwards, so two replicas cannot pass a stream back and forth.
 */
@RestController
class TaskStreamRelayController {

    private final TaskEventWriter writer;

    TaskStreamRelayController(TaskEventWriter writer) {
        this.writer = writer;
    }

    @GetMapping(TaskStreamRelay.PATH + "/{id}/events")
    void events(
            @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            HttpServletResponse response)
            throws IOException {
        this.writer.write(id, lastEventId, response);
    }
}
