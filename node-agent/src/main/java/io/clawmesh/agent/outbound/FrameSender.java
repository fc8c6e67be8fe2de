package io.clawmesh.agent.outbound;

import io.clawmesh.common.link.LinkBatch;
import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends frames up one WebSocket, one at a time (the JDK socket allows one outstanding send) and in the order threads
 * asked: a queue that whichever thread finds the socket idle starts draining, each send starting the next one when
 * the socket took it, so no thread waits for a lock only to hand it on. Every caller waits until the socket took its
 * own frame before it sends another, and no frame carries more than {@link LinkFrame#MAX_DATA_CHARS} of body, so the
 * pieces of a large answer interleave with those of every other exchange instead of starving them; and a slow
 * coordinator slows the writers down rather than filling memory (the queue holds at most one frame per writer).
 *
 * <p>Once the coordinator sent a binary message (link version 3, {@link #binary()}), frames go up in binary messages,
 * and the frames queued while a send was outstanding go together in one message ({@link LinkBatch}), up to
 * {@link LinkFrame#MAX_FRAME_CHARS} bytes: fewer messages for the coordinator to take apart when exchanges answer
 * at once.
 */
final class FrameSender {

    private final WebSocket socket;

    private final JsonMapper json;

    private final Duration sendTimeout;

    /** Frames waiting for the socket, guarded by itself. */
    private final Queue<Outgoing> queue = new ArrayDeque<>();

    /** Whether a send is outstanding or a thread is draining the queue, guarded by {@link #queue}. */
    private boolean sending;

    /** Writes frames without a newline, for binary messages. */
    private final ObjectWriter compact;

    /** Whether the coordinator speaks link version 3: frames go in binary messages. */
    private volatile boolean binary;

    FrameSender(WebSocket socket, JsonMapper json, Duration sendTimeout) {
        this.socket = socket;
        this.json = json;
        this.sendTimeout = sendTimeout;
        this.compact = json.writerFor(LinkFrame.class).without(SerializationFeature.INDENT_OUTPUT);
    }

    /** Frames waiting for the socket (for tests). */
    int queued() {
        synchronized (this.queue) {
            return this.queue.size();
        }
    }

    /** The coordinator sent a binary message: it reads them, so frames go up so from now on. */
    void binary() {
        this.binary = true;
    }

    /**
     * Sends one frame and waits until the socket took it.
     *
     * @throws IOException when the socket is closed, broke, or did not take the frame in time (it is then aborted)
     */
    void send(LinkFrame frame) throws IOException {
        Outgoing outgoing = this.binary
                ? new Outgoing(null, this.compact.writeValueAsBytes(frame), new CompletableFuture<>())
                : new Outgoing(this.json.writeValueAsString(frame), null, new CompletableFuture<>());
        boolean drain;
        synchronized (this.queue) {
            this.queue.add(outgoing);
            drain = !this.sending;
            this.sending = true;
        }
        if (drain) {
            drain();
        }
        try {
            outgoing.taken().get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw new IOException("the connection to the coordinator broke: " + ex.getCause(), ex.getCause());
        } catch (TimeoutException ex) {
            this.socket.abort();
            throw new IOException("the coordinator took no frame for " + this.sendTimeout.toSeconds() + " s");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to the coordinator", ex);
        }
    }

    /**
     * Sends queued frames until one is still on its way (its completion goes on from there) or none is left. Runs on
     * a caller's thread or on the socket's completion thread, never on two at once.
     */
    private void drain() {
        while (true) {
            List<Outgoing> batch;
            synchronized (this.queue) {
                Outgoing next = this.queue.poll();
                if (next == null) {
                    this.sending = false;
                    return;
                }
                batch = List.of(next);
                if (next.bytes() != null) {
                    batch = batch(next);
                }
            }
            CompletableFuture<WebSocket> sent;
            try {
                sent = (batch.size() == 1 && batch.getFirst().text() != null)
                        ? this.socket.sendText(batch.getFirst().text(), true)
                        : this.socket.sendBinary(join(batch), true);
            } catch (RuntimeException ex) {
                sent = CompletableFuture.failedFuture(ex);
            }
            List<Outgoing> done = batch;
            if (!sent.isDone()) {
                sent.whenComplete((socket, failure) -> {
                    done.forEach((outgoing) -> settle(outgoing, failure));
                    drain();
                });
                return;
            }
            Throwable failure = (sent.state() == Future.State.FAILED) ? sent.exceptionNow() : null;
            done.forEach((outgoing) -> settle(outgoing, failure));
        }
    }

    /** {@code first} and the binary frames queued behind it that fit in one message with it; under the queue's lock. */
    private List<Outgoing> batch(Outgoing first) {
        Outgoing following = this.queue.peek();
        if (following == null || following.bytes() == null) {
            return List.of(first);
        }
        List<Outgoing> batch = new ArrayList<>(4);
        batch.add(first);
        int size = first.bytes().length;
        while (following != null
                && following.bytes() != null
                && size + 1 + following.bytes().length <= LinkFrame.MAX_FRAME_CHARS) {
            batch.add(this.queue.poll());
            size += 1 + following.bytes().length;
            following = this.queue.peek();
        }
        return batch;
    }

    private static ByteBuffer join(List<Outgoing> batch) {
        if (batch.size() == 1) {
            return ByteBuffer.wrap(batch.getFirst().bytes());
        }
        int size = batch.size() - 1;
        for (Outgoing outgoing : batch) {
            size += outgoing.bytes().length;
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                joined.put(LinkBatch.SEPARATOR);
            }
            joined.put(batch.get(i).bytes());
        }
        return joined.flip();
    }

    private static void settle(Outgoing outgoing, @Nullable Throwable failure) {
        if (failure == null) {
            outgoing.taken().complete(null);
        } else {
            outgoing.taken().completeExceptionally(failure);
        }
    }

    /** A frame as text (a text message of its own) or as bytes (binary, maybe with others). */
    private record Outgoing(@Nullable String text, byte @Nullable [] bytes, CompletableFuture<Void> taken) {}
}
