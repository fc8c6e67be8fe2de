package io.clawmesh.agent.runtime.install;

/** An auto-install step failed; the message says what went wrong and what to run by hand instead. */
public class InstallFailedException extends RuntimeException {

    public InstallFailedException(String reason, String byHand) {
        super(reason + ". To do it by hand: " + byHand);
    }

    public InstallFailedException(String reason, String byHand, Throwable cause) {
        super(reason + ". To do it by hand: " + byHand, cause);
    }
}
