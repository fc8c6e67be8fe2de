package io.clawmesh.cli.settings;

import io.clawmesh.cli.parsing.GlobalOptions;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.config.ClawMeshConfigFile;
import io.clawmesh.common.config.ConfigFileException;
import io.clawmesh.common.config.ConfigMapping;
import io.clawmesh.common.config.ConfigRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the coordinator URL, the token and the output format of a command. Precedence, highest first: the flags of
 * the command, the flags given when the CLI started, {@code CLAW_MESH_*} variables, {@code claw-mesh.yaml}, defaults.
 * The operator token file that {@code claw-mesh up} wrote ({@code <data-dir>/operator-token}) is used only for a
 * coordinator on this machine, so a local secret never travels to another host.
 */
public class SettingsResolver {

    /** The Go version's default coordinator. */
    public static final String DEFAULT_PORT = "9180";

    private final CliEnvironment environment;

    public SettingsResolver(CliEnvironment environment) {
        this.environment = environment;
    }

    /**
     * Resolves the settings.
     *
     * @throws UsageException for a malformed URL or output format
     * @throws ConfigFileException for a config file that cannot be used
     */
    public ConnectionSettings resolve(GlobalOptions options, @Nullable String command) {
        Map<String, Object> fromEnvironment =
                ConfigMapping.fromEnvironment(this.environment.variables(), ConfigRole.CLI);
        Optional<Path> file = configFile(options.config());
        Map<String, Object> fromFile = file.map(
                        (path) -> ConfigMapping.fromFile(ClawMeshConfigFile.read(path), ConfigRole.CLI))
                .orElse(Map.of());
        Path dataDir = Path.of(value(
                "mesh.cli.data-dir",
                fromEnvironment,
                fromFile,
                this.environment.home().resolve(".claw-mesh").toString()));
        URI coordinator = coordinator(options, fromEnvironment, fromFile, command);
        String token = options.token();
        String source = "--token";
        if (token == null && fromEnvironment.containsKey("mesh.cli.token")) {
            token = String.valueOf(fromEnvironment.get("mesh.cli.token"));
            source = "CLAW_MESH_TOKEN";
        }
        if (token == null && fromFile.containsKey("mesh.cli.token")) {
            token = String.valueOf(fromFile.get("mesh.cli.token"));
            source = "coordinator.token in " + file.map(Path::toString).orElse("the config file");
        }
        if (token == null && isLocal(coordinator)) {
            Path tokenFile = dataDir.resolve("operator-token");
            token = readToken(tokenFile);
            source = tokenFile.toString();
        }
        if (token == null) {
            source = "none";
        }
        String caFingerprint = options.caFingerprint();
        if (caFingerprint == null) {
            caFingerprint = (String)
                    fromEnvironment.getOrDefault("mesh.cli.ca-fingerprint", fromFile.get("mesh.cli.ca-fingerprint"));
        }
        Object caFileSetting = fromEnvironment.getOrDefault("mesh.cli.ca-file", fromFile.get("mesh.cli.ca-file"));
        Path caFile = (caFileSetting != null) ? Path.of(String.valueOf(caFileSetting)) : null;
        if (caFile == null
                && caFingerprint == null
                && coordinator.getScheme().equals("https")
                && isLocal(coordinator)) {
            // the mesh CA that claw-mesh up --tls wrote into the data dir, next to the operator token
            Path local = dataDir.resolve("tls").resolve("ca.crt");
            caFile = Files.isRegularFile(local) ? local : null;
        }
        return new ConnectionSettings(
                coordinator, token, source, dataDir, options.json(command), caFingerprint, caFile);
    }

    /** The config file these options point at, or the one found in the usual places. */
    public Optional<Path> configFile(@Nullable String explicit) {
        String given =
                (explicit != null) ? explicit : this.environment.variables().get("CLAW_MESH_CONFIG");
        return ClawMeshConfigFile.locate(given, this.environment.workingDir(), this.environment.home());
    }

    private URI coordinator(
            GlobalOptions options,
            Map<String, Object> fromEnvironment,
            Map<String, Object> fromFile,
            @Nullable String command) {
        String url = options.coordinator();
        if (url == null) {
            url = (String) fromEnvironment.get("mesh.cli.coordinator");
        }
        if (url == null && fromEnvironment.get("mesh.cli.coordinator-port") == null) {
            url = (String) fromFile.get("mesh.cli.coordinator");
        }
        if (url == null) {
            String port = value("mesh.cli.coordinator-port", fromEnvironment, fromFile, DEFAULT_PORT);
            boolean tls = Boolean.parseBoolean(value("mesh.cli.tls", fromEnvironment, fromFile, "false"));
            url = (tls ? "https" : "http") + "://127.0.0.1:" + port;
        }
        String trimmed = url.strip();
        if (!trimmed.contains("://")) {
            trimmed = "http://" + trimmed;
        }
        try {
            URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("needs http(s)://host:port");
            }
            return uri;
        } catch (IllegalArgumentException ex) {
            throw new UsageException(command, "--coordinator '" + url + "' is not a URL such as http://127.0.0.1:9180");
        }
    }

    private static String value(String key, Map<String, Object> first, Map<String, Object> second, String fallback) {
        Object value = first.containsKey(key) ? first.get(key) : second.get(key);
        return (value != null) ? String.valueOf(value) : fallback;
    }

    static boolean isLocal(URI coordinator) {
        String host = coordinator.getHost();
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (!literal.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return false;
            }
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }

    private static @Nullable String readToken(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String token = Files.readString(file).strip();
            return token.isEmpty() ? null : token;
        } catch (IOException ex) {
            return null;
        }
    }
}
