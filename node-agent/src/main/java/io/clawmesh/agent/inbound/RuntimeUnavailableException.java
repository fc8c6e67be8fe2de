package io.clawmesh.agent.inbound;

/**
 * Thrown when work that would run for a while (a task, a streamed message) arrives while the runtime is down or
 * disconnected: it is refused before it starts, so the coordinator may send it to another node.
 */
public class RuntimeUnavailableException extends RuntimeException {

    public RuntimeUnavailableException(String runtime) {
        super("The " + runtime + " runtime on this node is down or disconnected, so it takes no new work; "
                + "try another node or retry later");
    }
}
