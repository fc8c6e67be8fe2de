package io.clawmesh.cli;

import io.clawmesh.cli.support.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code up} and {@code join} start long-running processes, so the {@code claw-mesh} launcher runs them itself; here
 * they exist for {@code help} and to say so when typed in the shell or given to the CLI jar directly.
 */
@Component
public class LauncherCommands {

    @Command(
            name = "up",
            group = "Launcher (run from a terminal)",
            description =
                    "Start a coordinator and, unless --no-local, a node agent for this machine (Ctrl-C stops both)")
    public void up(
            @Option(longName = "port", description = "coordinator port", defaultValue = "9180") @Nullable String port,
            @Option(longName = "join-token", description = "a token that may only register nodes") @Nullable
                    String joinToken,
            @Option(longName = "allow-private", description = "accept node endpoints on private and loopback addresses")
                    @Nullable
                    Boolean allowPrivate,
            @Option(longName = "data-dir", description = "database and generated token", defaultValue = "~/.claw-mesh")
                    @Nullable
                    String dataDir,
            @Option(longName = "no-local", description = "no node agent for this machine") @Nullable Boolean noLocal,
            @Option(longName = "database-url", description = "JDBC URL, e.g. of PostgreSQL (default: embedded H2)")
                    @Nullable
                    String databaseUrl,
            @Option(
                            longName = "tls",
                            description = "serve HTTPS with the mesh's own CA in <data-dir>/tls; prints the CA "
                                    + "fingerprint agents pin")
                    @Nullable
                    Boolean tls) {
        throw launcherOnly("up");
    }

    @Command(
            name = "join",
            group = "Launcher (run from a terminal)",
            description = "Start a node agent that joins the coordinator at <url> (flags as in the Go version)",
            help = "<url>")
    public void join(
            @Option(longName = "name", description = "node name (default: host name)") @Nullable String name,
            @Option(longName = "tags", description = "comma-separated labels rules can ask for") @Nullable String tags,
            @Option(longName = "listen", description = "[host]:port to listen on", defaultValue = ":9121") @Nullable
                    String listen,
            @Option(longName = "endpoint", description = "advertised host:port (default: outbound IP and listen port)")
                    @Nullable
                    String endpoint,
            @Option(longName = "data-dir", description = "node identity (default ~/.claw-mesh/agent-<name>)") @Nullable
                    String dataDir,
            @Option(longName = "capacity", description = "messages at once", defaultValue = "4") @Nullable
                    String capacity,
            @Option(longName = "runtime", description = "openclaw, zeroclaw or openai (default: discover)") @Nullable
                    String runtime,
            @Option(longName = "gateway-endpoint", description = "the runtime's host:port or URL") @Nullable
                    String gatewayEndpoint,
            @Option(longName = "gateway-token", description = "the runtime's token") @Nullable String gatewayToken,
            @Option(longName = "gateway-timeout", description = "how long one message may take", defaultValue = "5m")
                    @Nullable
                    String gatewayTimeout,
            @Option(
                            longName = "gateway-transport",
                            description = "OpenClaw: auto, websocket or http",
                            defaultValue = "auto")
                    @Nullable
                    String gatewayTransport,
            @Option(longName = "no-gateway", description = "echo mode, no AI runtime") @Nullable Boolean noGateway,
            @Option(longName = "auto-install", description = "install a runtime this machine can carry") @Nullable
                    Boolean autoInstall,
            @Option(longName = "no-sync-config", description = "skip the seed sync of config and workspace") @Nullable
                    Boolean noSyncConfig,
            @Option(longName = "api-key", description = "API key of an OpenAI-compatible endpoint") @Nullable
                    String apiKey,
            @Option(longName = "api-base", description = "base URL of an OpenAI-compatible endpoint") @Nullable
                    String apiBase,
            @Option(longName = "api-model", description = "model name") @Nullable String apiModel,
            @Option(longName = "api-provider", description = "provider used when onboarding a runtime") @Nullable
                    String apiProvider,
            @Option(
                            longName = "ca-file",
                            description = "https coordinator: trust only this CA (PEM); or pin it with the global "
                                    + "--ca-fingerprint sha256:… that up --tls printed")
                    @Nullable
                    String caFile) {
        throw launcherOnly("join");
    }

    private static UsageException launcherOnly(String verb) {
        return new UsageException(
                null,
                "'" + verb + "' starts a long-running process: run it from a terminal as claw-mesh " + verb
                        + " (the launcher script), not inside the shell or the CLI jar");
    }
}
