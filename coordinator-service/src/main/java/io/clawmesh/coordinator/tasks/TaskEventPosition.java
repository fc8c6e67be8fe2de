package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.PrintableText;
import org.jspecify.annotations.Nullable;

/**
 * Where a client is in a task's event stream, from the ids the coordinator gives its events: {@code q}
 * (queued), {@code a<attempt>} (assigned), {@code s} (started), {@code d<offset>} (a delta, the reply's length after
 * it) and {@code end}. A client's {@code Last-Event-ID} is parsed into one, and the stream writes only what lies
 * after it.
 *
 * @param stage -1 nothing seen, 0 queued, 1 assigned, 2 started, 3 some text, 4 ended
 */
record TaskEventPosition(int stage, int attempt, long offset) {

    static final int NONE = -1;

    static final int QUEUED = 0;

    static final int ASSIGNED = 1;

    static final int STARTED = 2;

    static final int TEXT = 3;

    static final int ENDED = 4;

    static final TaskEventPosition START = new TaskEventPosition(NONE, 0, 0);

    /**
     * Parses a {@code Last-Event-ID}; blank means from the start.
     *
     * @throws InvalidInputException when it is not an id this stream gives
     */
    static TaskEventPosition parse(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return START;
        }
        String id = lastEventId.strip();
        try {
            if (id.equals("q")) {
                return new TaskEventPosition(QUEUED, 0, 0);
            }
            if (id.equals("s")) {
                return new TaskEventPosition(STARTED, 0, 0);
            }
            if (id.equals("end")) {
                return new TaskEventPosition(ENDED, 0, 0);
            }
            if (id.length() > 1 && id.length() <= 12 && id.charAt(0) == 'a') {
                int attempt = Integer.parseInt(id.substring(1));
                if (attempt > 0) {
                    return new TaskEventPosition(ASSIGNED, attempt, 0);
                }
            }
            if (id.length() > 1 && id.length() <= 20 && id.charAt(0) == 'd') {
                long offset = Long.parseLong(id.substring(1));
                if (offset >= 0) {
                    return new TaskEventPosition(TEXT, 0, offset);
                }
            }
        } catch (NumberFormatException ex) {
            // falls through to the refusal
        }
        String shown = (id.length() <= 40) ? id : id.substring(0, 40) + "…";
        throw new InvalidInputException("Last-Event-ID '" + PrintableText.escape(shown)
                + "' is not an id of a task's event stream (q, a<attempt>, s, d<offset> or end)");
    }
}
