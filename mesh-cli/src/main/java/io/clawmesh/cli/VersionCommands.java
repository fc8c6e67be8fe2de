package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.Json;
import io.clawmesh.cli.support.CliException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/** The {@code version} verb: the CLI's version and, when it answers, the coordinator's ({@code /actuator/info}). */
@Component
public class VersionCommands {

    private final MeshClients clients;

    private final ObjectProvider<BuildProperties> build;

    public VersionCommands(MeshClients clients, ObjectProvider<BuildProperties> build) {
        this.clients = clients;
        this.build = build;
    }

    @Command(
            name = "version",
            group = "Setup",
            description = "Print the CLI version and the coordinator's, if it answers")
    public void version(CommandContext context) {
        MeshClient client = this.clients.client(context);
        String cli = cliVersion();
        String coordinator;
        String problem = null;
        try {
            coordinator = coordinatorVersion(client.info());
        } catch (CliException ex) {
            coordinator = null;
            problem = ex.getMessage();
        }
        PrintWriter out = context.outputWriter();
        if (client.settings().json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("cli", cli);
            json.put("coordinator_url", client.settings().coordinator().toString());
            json.put("coordinator", coordinator);
            out.println(Json.pretty(json));
        } else {
            out.println("claw-mesh CLI " + cli);
            out.println("coordinator " + client.settings().coordinator() + ": "
                    + ((coordinator != null) ? coordinator : "not reachable (" + problem + ")"));
        }
        out.flush();
    }

    String cliVersion() {
        BuildProperties properties = this.build.getIfAvailable();
        if (properties != null && properties.getVersion() != null) {
            return properties.getVersion();
        }
        String version = VersionCommands.class.getPackage().getImplementationVersion();
        return (version != null) ? version : "development build";
    }

    @SuppressWarnings("unchecked")
    static @Nullable String coordinatorVersion(@Nullable Map<String, Object> info) {
        if (info == null) {
            return "unknown (no /actuator/info)";
        }
        Object build = info.get("build");
        if (build instanceof Map<?, ?> map && map.get("version") != null) {
            return String.valueOf(map.get("version"));
        }
        return "unknown (its /actuator/info has no build version)";
    }
}
