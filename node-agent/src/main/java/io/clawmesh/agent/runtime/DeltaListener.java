package io.clawmesh.agent.runtime;

/**
 * Receives a reply piece by piece while a runtime produces it. The pieces, concatenated in the order they arrive, equal
 * the reply {@link AgentRuntime#stream} returns.
 */
@FunctionalInterface
public interface DeltaListener {

    /** Called with the next piece, never empty, on the thread running the message. */
    void delta(String text);
}
