package io.clawmesh.cli.support;

import org.jspecify.annotations.Nullable;

/** A wrong command line (exit code 2); {@link #command()} names the verb whose usage text to print, if known. */
public class UsageException extends CliException {

    private final @Nullable String command;

    public UsageException(@Nullable String command, String message) {
        super(ExitCode.USAGE, message);
        this.command = command;
    }

    public @Nullable String command() {
        return this.command;
    }
}
