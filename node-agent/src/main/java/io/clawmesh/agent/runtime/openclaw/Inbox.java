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
 * events of its run, in arrival order, and then the connection's end.
 */
final class Inbox {

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();

    void deliver(JsonNode frame) {
        this.items.add(frame);
    }

    void connectionClosed(String why) {
        this.items.add(new Closed(why));
    }

    /**
     * The next frame, or {@code null} when none came before {@code until}.
     *
     * @throws GatewayConnectionLostException when the connection closed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    @Nullable
    JsonNode next(Instant until, Clock clock) throws InterruptedException {
        long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        Object item = this.items.poll(millis, TimeUnit.MILLISECONDS);
        if (item instanceof Closed closed) {
            this.items.add(closed);
            throw new GatewayConnectionLostException(closed.why());
        }
        return (JsonNode) item;
    }

    private record Closed(String why) {}
}
