package io.clawmesh.agent.runtime.openclaw;

/**
 * Thrown to the thread waiting for a run when the run's {@link io.clawmesh.agent.runtime.RunAbort} was called: the
 * waiter then sends {@code chat.abort} and ends the run.
 */
final class AbortRequestedException extends RuntimeException {

    AbortRequestedException() {
        super("the run is to be aborted", null, false, false);
    }
}
