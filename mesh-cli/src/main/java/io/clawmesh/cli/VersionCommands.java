package io.clawmesh.cli;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** The {@code version} verb: prints the CLI's version. */
@Component
public class VersionCommands {

    @Command(name = "version", description = "Print the claw-mesh CLI version")
    public String version() {
        String version = VersionCommands.class.getPackage().getImplementationVersion();
        return "claw-mesh CLI " + ((version != null) ? version : "development build");
    }
}
