package io.clawmesh.cli.support;

/**
 * A failure to show as one line and an exit code. Carries no cause on purpose: the message is already what the user
 * needs, and the shell prints the innermost message of a chain.
 */
public class CliException extends RuntimeException {

    private final ExitCode exitCode;

    public CliException(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return this.exitCode;
    }
}
