package io.clawmesh.coordinator.forwarding;

import io.clawmesh.coordinator.registry.Node;
import java.io.IOException;

/**
 * Receives a streamed reply while the node produces it. Called on the forwarding thread, in order: {@link #started}
 * once, when a node has accepted the message, then {@link #delta} for every piece. The pieces concatenated equal the
 * final response.
 */
public interface ReplyListener {

    /**
     * The node answered 200: it has the message, and from now on the message is never sent to another node.
     *
     * @throws IOException when the client has gone; the node's stream is then closed ({@link ClientGoneException})
     */
    void started(Node node) throws IOException;

    /**
     * The next piece of the reply, never empty.
     *
     * @throws IOException when the client has gone; the node's stream is then closed ({@link ClientGoneException})
     */
    void delta(String text) throws IOException;
}
