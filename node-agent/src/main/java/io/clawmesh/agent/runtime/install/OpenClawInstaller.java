package io.clawmesh.agent.runtime.install;

import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeSelector;
import io.clawmesh.agent.runtime.openclaw.OpenClawConfigFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Installs OpenClaw as its project documents it, pinned and without install scripts
 * ({@code npm install -g --ignore-scripts openclaw@<version>}, into the user prefix {@code ~/.local} when the global
 * one is not writable), gives its gateway a token and loopback binding in {@code ~/.openclaw/openclaw.json} when it
 * has none, starts {@code openclaw gateway run} with a cleaned environment and waits for {@code GET /healthz}.
 */
public class OpenClawInstaller {

    private static final Logger logger = LoggerFactory.getLogger(OpenClawInstaller.class);

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(15);

    private final InstallProperties properties;

    private final Commands commands;

    private final Path home;

    private final Clock clock;

    public OpenClawInstaller(InstallProperties properties, Commands commands, Path home, Clock clock) {
        this.properties = properties;
        this.commands = commands;
        this.home = home;
        this.clock = clock;
    }

    /** Installs OpenClaw unless it is there, configures and starts its gateway, and answers where it listens. */
    public RuntimeSelector.Installed install(RuntimeContext context) {
        Path openclaw = installed().orElseGet(this::npmInstall);
        String token = configure();
        return start(openclaw, token, context);
    }

    Optional<Path> installed() {
        Path user = this.home.resolve(".local").resolve("bin").resolve("openclaw");
        Optional<Path> found = this.commands
                .which("openclaw")
                .or(() -> Files.isExecutable(user) ? Optional.of(user) : Optional.empty());
        found.ifPresent((path) -> logger.info("Auto-install: OpenClaw is already installed at {}", path));
        return found;
    }

    /**
     * {@code npm install -g --ignore-scripts openclaw@<version>}, or with {@code --prefix ~/.local} when the global
     * prefix is not writable. The package's only install script repairs a macOS LaunchAgent, which the agent does not
     * use; its native dependencies ship prebuilt.
     */
    Path npmInstall() {
        String spec = "openclaw@" + this.properties.openclawVersion();
        Path npm = this.commands
                .which("npm")
                .orElseThrow(() -> new InstallFailedException(
                        "npm is not on PATH",
                        "install Node.js 22.16 or newer, then run 'npm install -g --ignore-scripts " + spec + "'"));
        Commands.Result prefixResult =
                this.commands.run(List.of(npm.toString(), "prefix", "-g"), Duration.ofSeconds(30), null);
        Path prefix = prefixResult.succeeded() ? Path.of(prefixResult.output().strip()) : null;
        List<String> command;
        Path bin;
        if (prefix != null && writable(prefix)) {
            command = List.of(npm.toString(), "install", "-g", "--ignore-scripts", spec);
            bin = prefix.resolve("bin").resolve("openclaw");
        } else {
            Path user = this.home.resolve(".local");
            logger.info(
                    "Auto-install: the global npm prefix {} is not writable: installing OpenClaw into {} instead",
                    prefix,
                    user);
            command = List.of(npm.toString(), "install", "-g", "--prefix", user.toString(), "--ignore-scripts", spec);
            bin = user.resolve("bin").resolve("openclaw");
        }
        String byHand = String.join(" ", command).replace(npm.toString(), "npm");
        logger.info("Auto-install: running {} (this downloads about 300 MB and can take minutes)", byHand);
        Commands.Result result = this.commands.run(command, NPM_TIMEOUT, null);
        if (!result.succeeded()) {
            throw new InstallFailedException(
                    "'" + byHand + "' failed (exit " + result.exitCode() + "): " + tail(result.output()), byHand);
        }
        if (!Files.isExecutable(bin)) {
            throw new InstallFailedException("npm finished but " + bin + " is not there", byHand);
        }
        logger.info("Auto-install: installed OpenClaw at {}", bin);
        return bin;
    }

    /** The gateway token of OpenClaw's config; a new one, with loopback binding, when the config has none. */
    String configure() {
        OpenClawConfigFile config = OpenClawConfigFile.locate(this.commands.env(), this.home);
        String byHand = "set gateway.auth.token and gateway.bind \"loopback\" in " + config.path();
        ObjectNode root = config.read()
                .orElseThrow(() -> new InstallFailedException(config.path() + " cannot be parsed as JSON5", byHand));
        JsonNode token = root.path("gateway").path("auth").path("token");
        if (token.isString() && !token.asString().isBlank()) {
            logger.info("Auto-install: using the gateway token of {}", config.path());
            return token.asString();
        }
        String newToken = newToken();
        ObjectNode gateway = object(root, "gateway");
        gateway.put("mode", "local");
        gateway.put("bind", "loopback");
        gateway.put("port", this.properties.openclawPort());
        ObjectNode auth = object(gateway, "auth");
        auth.put("mode", "token");
        auth.put("token", newToken);
        try {
            config.write(root);
        } catch (IOException ex) {
            throw new InstallFailedException("cannot write " + config.path() + ": " + ex.getMessage(), byHand, ex);
        }
        logger.info("Auto-install: wrote a gateway token and loopback binding into {} (mode 0600)", config.path());
        return newToken;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return (parent.get(field) instanceof ObjectNode existing) ? existing : parent.putObject(field);
    }

    private RuntimeSelector.Installed start(Path openclaw, String token, RuntimeContext context) {
        int port = this.properties.openclawPort();
        List<String> command = List.of(
                openclaw.toString(),
                "gateway",
                "run",
                "--port",
                String.valueOf(port),
                "--bind",
                "loopback",
                "--auth",
                "token");
        RuntimeProcess process = RuntimeProcess.startHealthy(
                "openclaw gateway",
                command,
                this.commands.runtimeEnv(List.of("OPENCLAW_*"), Map.of()),
                context.dataDir().resolve("openclaw-gateway.log"),
                URI.create("http://127.0.0.1:" + port + "/healthz"),
                this.properties.healthTimeout(),
                context.http(),
                this.clock);
        return new RuntimeSelector.Installed("openclaw", "127.0.0.1:" + port, token, process);
    }

    private static boolean writable(Path prefix) {
        Path modules = prefix.resolve("lib").resolve("node_modules");
        return Files.isDirectory(modules) ? Files.isWritable(modules) : Files.isWritable(prefix);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String tail(String output) {
        List<String> lines = output.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
