package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.events.EventStreamWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The event stream for the dashboard's pages: the same events as {@code GET /api/v1/events}, authenticated by the
 * dashboard session, since a browser's EventSource cannot send a bearer token (and the page must never hold one).
 */
@RestController
class DashboardEventsController {

    private final EventStreamWriter writer;

    DashboardEventsController(EventStreamWriter writer) {
        this.writer = writer;
    }

    /** Streams events until the page goes away; a reconnecting browser sends {@code Last-Event-ID} by itself. */
    @GetMapping(DashboardPaths.EVENTS)
    void events(
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            HttpServletResponse response)
            throws IOException {
        this.writer.write(parse(lastEventId), response);
    }

    /** A browser only ever sends back an id it got; anything else starts afresh rather than failing the page. */
    static @Nullable Long parse(@Nullable String lastEventId) {
        try {
            return EventStreamWriter.lastEventId(lastEventId);
        } catch (InvalidInputException ex) {
            return null;
        }
    }
}
