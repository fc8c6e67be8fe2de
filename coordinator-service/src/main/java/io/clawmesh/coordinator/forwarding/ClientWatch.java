package io.clawmesh.coordinator.forwarding;

import java.util.function.BooleanSupplier;

/**
 * Watches the client of a message that waits for a node's whole answer, so the run can be canceled on the node when
 * the client goes away (a plain chat completion: SPEC §21, ADR 0015). Nothing is written to the client to find out.
 */
public interface ClientWatch {

    /**
     * Watches until the returned watch is closed. Once the client has gone, {@code cancel} is called on another
     * thread, again from time to time while it answers false (the node did not have the run yet), never after the
     * watch was closed.
     *
     * @param cancel cancels the run on the node; true when it did
     */
    Watching watch(BooleanSupplier cancel);

    /** One watch; closed by the thread that waits for the answer. */
    interface Watching extends AutoCloseable {

        /** Whether the client was seen gone. */
        boolean gone();

        /** Stops watching: from here on the client's connection is the waiting thread's again. */
        @Override
        void close();
    }
}
