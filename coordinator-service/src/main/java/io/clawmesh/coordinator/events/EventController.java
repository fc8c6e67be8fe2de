package io.clawmesh.coordinator.events;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.InvalidInputException;
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
        this.writer.write(parse(lastEventId), response);
    }

    /** Parses a last event id; blank means none. */
    static @Nullable Long parse(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException ex) {
            throw new InvalidInputException("Last-Event-ID must be the non-negative number of an event this "
                    + "stream sent, not '" + abbreviate(lastEventId) + "'");
        }
    }

    private static String abbreviate(String value) {
        return (value.length() <= 40) ? value : value.substring(0, 40) + "…";
    }
}
