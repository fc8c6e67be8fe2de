package io.clawmesh.coordinator.forwarding;

import java.io.IOException;

/**
 * The client of a streamed route went away while the node was answering: the node's stream was closed, and there is no
 * one left to tell how the message ended. Also the client of a watched whole answer ({@link ClientWatch}) that went
 * away: the run was canceled on the node.
 */
public class ClientGoneException extends RuntimeException {

    ClientGoneException(IOException cause) {
        super("the client closed the stream before the answer was complete", cause);
    }

    ClientGoneException(String message) {
        super(message);
    }
}
