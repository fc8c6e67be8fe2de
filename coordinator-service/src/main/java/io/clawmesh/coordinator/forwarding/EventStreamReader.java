package io.clawmesh.coordinator.forwarding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events from a node's stream as they arrive, by the rules of the HTML standard's event-stream
 * format: lines end with CRLF, LF or CR; {@code event:} names the event, {@code data:} lines are joined with a line
 * feed, {@code id:} gives the event its id, a blank line ends the event, and comment lines ({@code :...}),
 * {@code retry:} and unknown fields are skipped. Bounded, since a node must not be able to exhaust our memory: no event
 * may be larger than {@code maxEventBytes}, and the whole stream no larger than {@code maxStreamBytes}. The one reader
 * of event streams from nodes: route replies here, task runs in {@code tasks}.
 */
public final class EventStreamReader {

    private static final String DEFAULT_TYPE = "message";

    private final InputStream in;

    private final int maxEventBytes;

    private final long maxStreamBytes;

    private final byte[] buffer = new byte[8192];

    private int position;

    private int limit;

    private long consumed;

    /** The current line's bytes, and with the event's data, at most {@code maxEventBytes}. */
    private byte[] line = new byte[256];

    private int lineLength;

    private int eventBytes;

    /** A CR ended the last line: an LF right after it belongs to the same line ending. */
    private boolean afterCarriageReturn;

    /**
     * A reader of {@code in}.
     *
     * @param maxEventBytes the largest event, its lines counted together
     * @param maxStreamBytes the largest stream ({@link Long#MAX_VALUE}: unbounded, for long-lived streams)
     */
    public EventStreamReader(InputStream in, int maxEventBytes, long maxStreamBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
        this.maxStreamBytes = maxStreamBytes;
    }

    /**
     * The next complete event, waiting for it as long as the stream's read timeout allows.
     *
     * @return {@code null} when the stream has ended (an event cut off by the end is dropped, as the standard says)
     * @throws LimitExceededException when an event or the stream is over its bound
     * @throws IOException when the stream breaks or times out
     */
    @Nullable
    public Event next() throws IOException {
        String id = null;
        String type = null;
        StringBuilder data = null;
        this.eventBytes = 0;
        while (readLine()) {
            if (this.lineLength == 0) {
                if (data != null) {
                    return new Event(id, (type != null) ? type : DEFAULT_TYPE, data.toString());
                }
                id = null;
                type = null;
                this.eventBytes = 0;
                continue;
            }
            String text = new String(this.line, 0, this.lineLength, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon == 0) {
                continue; // a comment, as keep-alives are
            }
            String field = (colon < 0) ? text : text.substring(0, colon);
            String value = (colon < 0) ? "" : text.substring(colon + ((text.startsWith(" ", colon + 1)) ? 2 : 1));
            if (field.equals("event")) {
                type = value;
            } else if (field.equals("id")) {
                id = value;
            } else if (field.equals("data")) {
                data = (data == null)
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
        return null;
    }

    /** Reads one line into {@link #line}; false at the end of the stream. */
    private boolean readLine() throws IOException {
        this.lineLength = 0;
        while (true) {
            if (this.position == this.limit && !fill()) {
                return false;
            }
            byte b = this.buffer[this.position++];
            if (this.afterCarriageReturn) {
                this.afterCarriageReturn = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return true;
            }
            if (b == '\r') {
                this.afterCarriageReturn = true;
                return true;
            }
            append(b);
        }
    }

    private void append(byte b) throws LimitExceededException {
        if (++this.eventBytes > this.maxEventBytes) {
            throw new LimitExceededException("an event is larger than " + this.maxEventBytes + " bytes");
        }
        if (this.lineLength == this.line.length) {
            this.line = Arrays.copyOf(this.line, Math.min(this.line.length * 2, this.maxEventBytes));
        }
        this.line[this.lineLength++] = b;
    }

    private boolean fill() throws IOException {
        int read = this.in.read(this.buffer, 0, this.buffer.length);
        if (read < 0) {
            return false;
        }
        this.consumed += read;
        if (this.consumed > this.maxStreamBytes) {
            throw new LimitExceededException("the stream is larger than " + this.maxStreamBytes + " bytes");
        }
        this.position = 0;
        this.limit = read;
        return true;
    }

    /**
     * One event.
     *
     * @param id its {@code id:}, {@code null} when it had none (task streams resume from it)
     * @param type its {@code event:} name, {@code message} when it had none
     * @param data its {@code data:} lines joined with line feeds
     */
    public record Event(@Nullable String id, String type, String data) {

        /** An event without an id. */
        public Event(String type, String data) {
            this(null, type, data);
        }
    }

    /** The stream or one of its events is over its bound. */
    public static final class LimitExceededException extends IOException {

        LimitExceededException(String message) {
            super(message);
        }
    }
}
