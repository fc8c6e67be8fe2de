package io.clawmesh.agent.runtime.install;

/** An auto-install step failed; the message says what went wrong and what to run by hand instead. */
public class InstallFailedException extends RuntimeException {

    private final String reason;

    private final String byHand;

    public InstallFailedException(String reason, String byHand) {
        this(reason, byHand, null);
    }

    public InstallFailedException(String reason, String byHand, @org.jspecify.annotations.Nullable Throwable cause) {
        super(reason + ". To do it by hand: " + byHand, cause);
        this.reason = reason;
        this.byHand = byHand;
    }

    /** What went wrong. */
    public String reason() {
        return this.reason;
    }

    /** The commands that do the failed step by hand. */
    public String byHand() {
        return this.byHand;
    }
}
