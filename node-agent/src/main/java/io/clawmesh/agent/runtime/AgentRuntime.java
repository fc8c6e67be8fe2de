package io.clawmesh.agent.runtime;

import io.clawmesh.common.node.RuntimeInfo;

/**
 * An AI runtime the agent hands messages to (echo now; OpenClaw, ZeroClaw and OpenAI-compatible gateways later). One
 * class per runtime; {@link RuntimeConfiguration} picks the one to use.
 */
public interface AgentRuntime {

    /** What the runtime is and whether the agent is connected to it right now; cheap, called on every heartbeat. */
    RuntimeInfo info();

    /**
     * Hands one message to the runtime and waits for its reply.
     *
     * @throws RuntimeFailureException when the runtime fails or answers nothing usable; never answered with a made-up
     *     reply
     */
    String send(RuntimeRequest request);

    /**
     * Hands one message to the runtime and passes its reply on piece by piece as the runtime produces it, then returns
     * the whole reply: the pieces concatenated equal it, always. A runtime that cannot stream answers in one piece.
     * {@link RuntimeRequest#abort()} stops the run (the runtime's own way, see {@link RunAbort}); the call then throws
     * {@link RuntimeFailureException}.
     *
     * @throws RuntimeFailureException when the runtime fails, answers nothing usable, or the run was aborted
     */
    default String stream(RuntimeRequest request, DeltaListener deltas) {
        String reply = send(request);
        if (!reply.isEmpty()) {
            deltas.delta(reply);
        }
        return reply;
    }
}
