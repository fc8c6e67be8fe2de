package io.clawmesh.coordinator.events;

import io.clawmesh.common.api.ApiPaths;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/events}: the live event stream for operators (server-sent events). */
@RestController
class EventController {

    private final EventStreamWriter writer;

    EventController(EventStreamWriter writer) {
        this.writer = writer;
    }

    /**
     * Streams events until the client hangs up. A client that reconnects sends the last id it saw as
     * {@code Last-Event-ID} (browsers do this by themselves) or {@code ?last_event_id=} and gets what it missed, as far
     * as the buffer reaches.
     */
    @GetMapping(path = ApiPaths.EVENTS)
    void events(
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParameter,
            HttpServletResponse response)
            throws IOException {
        String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
        this.writer.write(EventStreamWriter.lastEventId(lastEventId), response);
    }
}
