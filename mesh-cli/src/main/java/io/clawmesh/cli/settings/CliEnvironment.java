package io.clawmesh.cli.settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI reads from the machine: environment variables, the home directory (for {@code ~/.claw-mesh}) and the
 * working directory (for {@code ./claw-mesh.yaml}). A bean, so that tests can run without the developer's own files.
 */
public record CliEnvironment(Map<String, String> variables, Path home, Path workingDir) {

    /** The real process environment. */
    public static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath());
    }
}
