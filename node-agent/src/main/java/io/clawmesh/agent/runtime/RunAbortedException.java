package io.clawmesh.agent.runtime;

/**
 * Thrown by {@link AgentRuntime#stream} when the run was stopped through its {@link RunAbort}: the message reads
 * {@code <runtime> runtime failed: aborted: <reason>}, so a caller can tell a canceled or timed-out run from a failed
 * one by type as well as by text.
 */
public class RunAbortedException extends RuntimeFailureException {

    private final String reason;

    public RunAbortedException(String runtime, String reason) {
        super(runtime, "aborted: " + reason);
        this.reason = reason;
    }

    /** The reason given to {@link RunAbort#abort(String)}. */
    public String reason() {
        return this.reason;
    }

    /** The failure for a run whose {@code abort} was called, with its reason. */
    public static RunAbortedException of(String runtime, RunAbort abort) {
        String why = abort.reason();
        return new RunAbortedException(runtime, (why != null) ? why : "the run was stopped");
    }
}
