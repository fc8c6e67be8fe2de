package io.clawmesh.cli.support;

/** The exit codes of SPEC §11, the same for every verb. */
public enum ExitCode {
    /** It worked. */
    OK(0),
    /** The mesh refused or failed the request (a problem answer, no route, a node that failed). */
    REFUSED(1),
    /** The command line is wrong: unknown verb or flag, missing value; the usage text follows. */
    USAGE(2),
    /** The coordinator cannot be reached, or it refused the token. */
    UNREACHABLE(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return this.code;
    }
}
