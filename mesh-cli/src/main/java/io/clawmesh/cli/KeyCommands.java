package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.MeshTables;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.key.ClientKeyView;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * The client key verbs (SPEC §21): {@code key create}, {@code key list} and {@code key revoke}. A client key lets a
 * chat UI, an SDK or an assistant use the OpenAI-compatible API, the MCP server and its own tasks, and nothing else.
 */
@Component
public class KeyCommands {

    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*(/\\s*min)?");

    private final MeshClients clients;

    private final Clock clock;

    public KeyCommands(MeshClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Command(
            name = {"key", "create"},
            group = "Client keys",
            description = "Create a client key for a chat UI, SDK or assistant: it may use /v1 (OpenAI-compatible),"
                    + " /mcp and its own tasks, nothing else. The secret is shown once; store it now",
            help = "<name>")
    public void create(
            CommandContext context,
            @Argument(index = 0) String name,
            @Option(
                            longName = "models",
                            description = "comma-separated models the key may use, * for any part"
                                    + " (mesh/auto,mesh/node/*); all when left out")
                    @Nullable
                    String models,
            @Option(longName = "rate", description = "requests a minute the key may make, as 60/min or 60") @Nullable
                    String rate) {
        List<String> patterns = (models != null)
                ? Arrays.stream(models.split(","))
                        .map(String::strip)
                        .filter((s) -> !s.isEmpty())
                        .toList()
                : null;
        Integer perMinute = (rate != null) ? parseRate(rate) : null;
        MeshClient client = this.clients.client(context);
        ClientKeyCreated created = client.call((api) -> api.createKey(new ClientKeyRequest(name, patterns, perMinute)));
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                created,
                () -> "created client key " + created.key().name() + " ("
                        + created.key().id() + ")\n"
                        + "secret: " + created.secret() + "\n"
                        + "It is shown only this once. Use it as the API key of an OpenAI client with the base URL"
                        + " http(s)://<coordinator>/v1, or as 'Authorization: Bearer <secret>' for /mcp.");
    }

    @Command(
            name = {"key", "list"},
            group = "Client keys",
            description = "List the client keys (never their secrets): models, rate, status, last use")
    public void list(CommandContext context) {
        MeshClient client = this.clients.client(context);
        List<ClientKeyView> keys = client.call((api) -> api.keys());
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                keys,
                () -> keys.isEmpty()
                        ? "no client keys (create one with claw-mesh key create NAME)"
                        : MeshTables.keys(keys, this.clock.instant()));
    }

    @Command(
            name = {"key", "revoke"},
            group = "Client keys",
            description = "Revoke a client key by name or id: refused at once, on every coordinator within a second",
            help = "<name>")
    public void revoke(CommandContext context, @Argument(index = 0) String name) {
        MeshClient client = this.clients.client(context);
        ClientKeyView key = client.call((api) -> api.revokeKey(name));
        Output.print(
                context.outputWriter(),
                client.settings().json(),
                key,
                () -> "revoked client key " + key.name() + " (" + key.id() + ")");
    }

    static int parseRate(String rate) {
        Matcher matcher = RATE.matcher(rate.strip());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
            throw new UsageException(
                    "key create", "--rate must be a number of requests a minute, as 60/min or 60, not '" + rate + "'");
        }
        return Integer.parseInt(matcher.group(1));
    }
}
