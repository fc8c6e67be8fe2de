package io.clawmesh.agent.outbound;

import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends frames up one WebSocket, one at a time (the JDK socket allows one outstanding send) and in the order threads
 * asked: a queue that whichever thread finds the socket idle starts draining, each send starting the next one when
 * the socket took it, so no thread waits for a lock only to hand it on. Every caller waits until the socket took its
 * own frame before it sends another, and no frame carries more than {@link LinkFrame#MAX_DATA_CHARS} of body, so the
 * pieces of a large answer interleave with those of every other exchange instead of starving them; and a slow
 * coordinator slows the writers down rather than filling memory (the queue holds at most one frame per writer).
 */
final class FrameSender {

    private final WebSocket socket;

    private final JsonMapper json;

    private final Duration sendTimeout;

    /** Frames waiting for the socket, guarded by itself. */
    private final Queue<Outgoing> queue = new ArrayDeque<>();

    /** Whether a send is outstanding or a thread is draining the queue, guarded by {@link #queue}. */
    private boolean sending;

    FrameSender(WebSocket socket, JsonMapper json, Duration sendTimeout) {
        this.socket = socket;
        this.json = json;
        this.sendTimeout = sendTimeout;
    }

    /**
     * Sends one frame and waits until the socket took it.
     *
     * @throws IOException when the socket is closed, broke, or did not take the frame in time (it is then aborted)
     */
    void send(LinkFrame frame) throws IOException {
        Outgoing outgoing = new Outgoing(this.json.writeValueAsString(frame), new CompletableFuture<>());
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
            Outgoing next;
            synchronized (this.queue) {
                next = this.queue.poll();
                if (next == null) {
                    this.sending = false;
                    return;
                }
            }
            CompletableFuture<WebSocket> sent;
            try {
                sent = this.socket.sendText(next.text(), true);
            } catch (RuntimeException ex) {
                sent = CompletableFuture.failedFuture(ex);
            }
            if (!sent.isDone()) {
                sent.whenComplete((socket, failure) -> {
                    settle(next, failure);
                    drain();
                });
                return;
            }
            settle(next, (sent.state() == Future.State.FAILED) ? sent.exceptionNow() : null);
        }
    }

    private static void settle(Outgoing outgoing, @Nullable Throwable failure) {
        if (failure == null) {
            outgoing.taken().complete(null);
        } else {
            outgoing.taken().completeExceptionally(failure);
        }
    }

    private record Outgoing(String text, CompletableFuture<Void> taken) {}
}
