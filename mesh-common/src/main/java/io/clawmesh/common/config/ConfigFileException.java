package io.clawmesh.common.config;

import java.nio.file.Path;

/**
 * A {@code claw-mesh.yaml} that cannot be used: it does not parse, has an unknown key or a value of the wrong shape.
 * The message starts with {@code file:line:} so that people (and editors) jump straight to the spot.
 */
public class ConfigFileException extends RuntimeException {

    private final Path file;

    private final int line;

    public ConfigFileException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The file at fault. */
    public Path file() {
        return this.file;
    }

    /** The one-based line at fault. */
    public int line() {
        return this.line;
    }
}
