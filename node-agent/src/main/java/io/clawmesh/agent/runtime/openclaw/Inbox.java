package io.clawmesh.agent.runtime.openclaw;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The frames one waiter gets from a gateway connection: the {@code res} frames of its requests and the {@code agent}
 * events of its run, in arrival order, and then the connection's end; or, from another thread, the request to abort
 * the run, which the waiter gets before anything else still queued.
 */
final class Inbox {

    private static final Object ABORT = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();

    private volatile boolean aborted;

    void deliver(JsonNode frame) {
        this.items.add(frame);
    }

    void connectionClosed(String why) {
        this.items.add(new Closed(why));
    }

    /** Wakes the waiter: its run is to be aborted. */
    void abortRequested() {
        this.aborted = true;
        this.items.add(ABORT);
    }

    /**
     * The next frame, or {@code null} when none came before {@code until}.
     *
     * @throws GatewayConnectionLostException when the connection closed
     * @throws AbortRequestedException when the run is to be aborted
     * @throws InterruptedException when the waiting thread is interrupted
     */
    @Nullable
    JsonNode next(Instant until, Clock clock) throws InterruptedException {
        if (this.aborted) {
            throw new AbortRequestedException();
        }
        long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        Object item = this.items.poll(millis, TimeUnit.MILLISECONDS);
        if (item == ABORT || this.aborted) {
            throw new AbortRequestedException();
        }
        if (item instanceof Closed closed) {
            this.items.add(closed);
            throw new GatewayConnectionLostException(closed.why());
        }
        return (JsonNode) item;
    }

    private record Closed(String why) {}
}
