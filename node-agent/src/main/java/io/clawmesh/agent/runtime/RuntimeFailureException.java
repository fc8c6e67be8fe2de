package io.clawmesh.agent.runtime;

/** Thrown when a runtime fails to answer a message; the message says which runtime and why. */
public class RuntimeFailureException extends RuntimeException {

    private final String runtime;

    public RuntimeFailureException(String runtime, String reason, Throwable cause) {
        super(runtime + " runtime failed: " + reason, cause);
        this.runtime = runtime;
    }

    public RuntimeFailureException(String runtime, String reason) {
        super(runtime + " runtime failed: " + reason);
        this.runtime = runtime;
    }

    /** The kind of the runtime that failed, for example {@code openclaw}. */
    public String runtime() {
        return this.runtime;
    }
}
