package io.clawmesh.agent.outbound;

import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends frames up one WebSocket, one at a time (the JDK socket allows one outstanding send) and in the order threads
 * asked: the lock is fair, and no frame carries more than {@link LinkFrame#MAX_DATA_CHARS} of body, so the pieces of
 * a large answer interleave with those of every other exchange instead of starving them. A send waits for the
 * socket, which is the flow control: a slow coordinator slows the writers down rather than filling memory.
 */
final class FrameSender {

    private final WebSocket socket;

    private final JsonMapper json;

    private final Duration sendTimeout;

    private final ReentrantLock lock = new ReentrantLock(true);

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
        String text = this.json.writeValueAsString(frame);
        this.lock.lock();
        try {
            this.socket.sendText(text, true).get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw new IOException("the connection to the coordinator broke: " + ex.getCause(), ex.getCause());
        } catch (TimeoutException ex) {
            this.socket.abort();
            throw new IOException("the coordinator took no frame for " + this.sendTimeout.toSeconds() + " s");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to the coordinator", ex);
        } finally {
            this.lock.unlock();
        }
    }
}
