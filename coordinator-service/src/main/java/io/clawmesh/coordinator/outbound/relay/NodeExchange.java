package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.coordinator.outbound.LinkResponse;
import java.io.Closeable;
import java.io.IOException;

/**
 * One request to an outbound agent and its answer, over this replica's own connection to it or relayed through the
 * replica that holds it. Failures are those of a local exchange: {@link io.clawmesh.coordinator.outbound.LinkLostException}
 * saying whether the agent had acknowledged the request, {@link java.net.SocketTimeoutException} when it stayed
 * silent for the read timeout.
 */
public interface NodeExchange extends Closeable {

    /** Waits for the head of the answer; its body streams as it arrives. */
    LinkResponse response() throws IOException;

    /** Whether the agent acknowledged the request: from then on it may run it, and it must not go elsewhere. */
    boolean accepted();

    /** Abandons the exchange, from any thread; the agent is told. */
    @Override
    void close();
}
