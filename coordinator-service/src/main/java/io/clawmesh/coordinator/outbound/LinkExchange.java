package io.clawmesh.coordinator.outbound;

import io.clawmesh.common.link.LinkFrame;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One request to an outbound agent and its answer, multiplexed with others over the agent's connection by its id. The
 * socket's reader thread only queues frames here (it never waits), and the thread that asked reads them: a slow or
 * silent agent holds that thread alone, never the connection.
 */
public final class LinkExchange implements Closeable {

    /** The frame queued when the connection drops; its {@code data} says why. */
    private static final String LOST = "lost";

    private final String id;

    private final AgentLink link;

    private final Duration readTimeout;

    private final long maxBuffered;

    private final BlockingQueue<LinkFrame> frames = new LinkedBlockingQueue<>();

    private final AtomicLong buffered = new AtomicLong();

    private volatile boolean accepted;

    private volatile boolean finished;

    LinkExchange(String id, AgentLink link, Duration readTimeout, long maxBuffered) {
        this.id = id;
        this.link = link;
        this.readTimeout = readTimeout;
        this.maxBuffered = maxBuffered;
    }

    String id() {
        return this.id;
    }

    /** Whether the agent acknowledged the request: from then on it may run it. */
    public boolean accepted() {
        return this.accepted;
    }

    /**
     * Waits for the head of the answer.
     *
     * @throws SocketTimeoutException when none came within the read timeout
     * @throws LinkLostException when the connection dropped or the agent abandoned the exchange
     */
    public LinkResponse response() throws IOException {
        LinkFrame frame = next();
        if (LinkFrame.RESPONSE.equals(frame.type()) && frame.status() != null) {
            Map<String, String> headers = new HashMap<>();
            if (frame.headers() != null) {
                frame.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
            }
            return new LinkResponse(frame.status(), Map.copyOf(headers), new Body(frame));
        }
        throw broken(frame, "an answer");
    }

    /** Abandons the exchange: the agent is told (a streamed run goes on there, as when an HTTP client goes away). */
    @Override
    public void close() {
        if (!this.finished) {
            this.finished = true;
            // wakes a reader blocked on this exchange (an abort from another thread)
            this.frames.add(LinkFrame.reset(this.id, "abandoned by the coordinator"));
            this.link.abandon(this.id);
        }
    }

    /**
     * Called on the socket's reader thread: never blocks, and queues each frame once as it came (a version 2 head or
     * piece that carries a body piece or ends the body is read as such by {@link #response()} and the body), so an
     * answer in one frame is one hand-over to the waiting thread.
     */
    void receive(LinkFrame frame) {
        if (LinkFrame.ACK.equals(frame.type())) {
            this.accepted = true;
            return;
        }
        queue(frame);
    }

    private void queue(LinkFrame frame) {
        if (frame.data() != null && this.buffered.addAndGet(frame.data().length()) > this.maxBuffered) {
            this.frames.add(LinkFrame.reset(
                    this.id, "the agent sent more than " + this.maxBuffered + " characters that were not read yet"));
            this.link.abandon(this.id);
            return;
        }
        this.frames.add(frame);
    }

    /** The connection dropped. */
    void lost(String reason) {
        this.frames.add(new LinkFrame(LOST, this.id, null, null, null, null, reason, null, null));
    }

    private LinkFrame next() throws IOException {
        LinkFrame frame;
        try {
            frame = this.frames.poll(this.readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the agent");
        }
        if (frame == null) {
            throw new SocketTimeoutException("the agent sent nothing for " + this.readTimeout.toMillis() + " ms");
        }
        if (frame.data() != null) {
            this.buffered.addAndGet(-frame.data().length());
        }
        return frame;
    }

    private IOException broken(LinkFrame frame, String expected) {
        this.finished = true;
        String reason = (frame.data() != null) ? frame.data() : "no reason given";
        return switch (frame.type()) {
            case LOST -> new LinkLostException(this.accepted, reason);
            case LinkFrame.RESET -> new LinkLostException(this.accepted, "the exchange was reset: " + reason);
            default ->
                new LinkLostException(
                        this.accepted, "the agent sent '" + frame.type() + "' where " + expected + " belonged");
        };
    }

    /**
     * The body as it arrives, one {@code body} frame at a time, until {@code end} or (version 2) a frame with {@code
     * last}; the head's own piece first.
     */
    private final class Body extends PieceStream {

        /** Whether the frame read last ended the body. */
        private boolean complete;

        Body(LinkFrame head) {
            super(bytesOf(head));
            this.complete = head.ends();
        }

        @Override
        protected byte @Nullable [] nextPiece() throws IOException {
            if (this.complete) {
                return finish();
            }
            LinkFrame frame = next();
            if (LinkFrame.END.equals(frame.type())) {
                return finish();
            }
            if (!LinkFrame.BODY.equals(frame.type()) || frame.data() == null) {
                throw broken(frame, "the body");
            }
            this.complete = frame.ends();
            return frame.data().getBytes(StandardCharsets.UTF_8);
        }

        private byte @Nullable [] finish() {
            LinkExchange.this.finished = true;
            LinkExchange.this.link.forget(LinkExchange.this.id);
            return null;
        }

        @Override
        public void close() {
            LinkExchange.this.close();
        }
    }

    private static byte @Nullable [] bytesOf(LinkFrame frame) {
        return (frame.data() != null && !frame.data().isEmpty()) ? frame.data().getBytes(StandardCharsets.UTF_8) : null;
    }
}
