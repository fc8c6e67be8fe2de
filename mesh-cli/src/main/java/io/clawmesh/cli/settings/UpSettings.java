package io.clawmesh.cli.settings;

import io.clawmesh.common.config.ClawMeshConfigFile;
import io.clawmesh.common.config.ConfigFileException;
import io.clawmesh.common.config.ConfigMapping;
import io.clawmesh.common.config.ConfigRole;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * For the launcher's {@code up}: the coordinator settings that {@code CLAW_MESH_*} and {@code claw-mesh.yaml} give,
 * printed as shell assignments ({@code cfg_port='9190'}), so the launcher knows the port, data dir and token of the
 * coordinator it starts (to start the local node and to find the token) without parsing YAML in {@code sh}. Runs
 * without Spring, in a fraction of a second.
 */
public final class UpSettings {

    /** The hidden first argument that selects this mode. */
    public static final String VERB = "__up-settings";

    private UpSettings() {}

    /** Prints the assignments; returns the exit code (2 for a broken config file, with its file and line). */
    public static int print(String[] args, CliEnvironment environment, PrintStream out, PrintStream err) {
        String explicit = (args.length >= 3 && args[1].equals("--config")) ? args[2] : null;
        try {
            out.print(assignments(resolve(explicit, environment)));
            return 0;
        } catch (ConfigFileException ex) {
            err.println("claw-mesh: " + ex.getMessage());
            return 2;
        }
    }

    static Map<String, Object> resolve(@Nullable String explicit, CliEnvironment environment) {
        Map<String, Object> properties = new LinkedHashMap<>();
        new SettingsResolver(environment)
                .configFile(explicit)
                .map(ClawMeshConfigFile::read)
                .ifPresent((file) -> properties.putAll(ConfigMapping.fromFile(file, ConfigRole.COORDINATOR)));
        properties.putAll(ConfigMapping.fromEnvironment(environment.variables(), ConfigRole.COORDINATOR));
        return properties;
    }

    static String assignments(Map<String, Object> properties) {
        StringBuilder text = new StringBuilder();
        assign(text, "cfg_port", properties.get("server.port"));
        assign(text, "cfg_data_dir", properties.get("mesh.data-dir"));
        assign(text, "cfg_token", properties.get("mesh.security.token"));
        assign(text, "cfg_join_token", properties.get("mesh.security.join-token"));
        assign(
                text,
                "cfg_scheme",
                Boolean.parseBoolean(String.valueOf(properties.get("mesh.tls.enabled"))) ? "https" : "http");
        assign(text, "cfg_cert_file", properties.get("mesh.tls.cert-file"));
        assign(text, "cfg_ca_file", properties.get("mesh.tls.ca-file"));
        assign(text, "cfg_ca_key_file", properties.get("mesh.tls.ca-key-file"));
        return text.toString();
    }

    private static void assign(StringBuilder text, String name, @Nullable Object value) {
        String quoted = (value == null) ? "" : String.valueOf(value).replace("'", "'\\''");
        text.append(name).append("='").append(quoted).append("'\n");
    }
}
