package io.clawmesh.cli;

import io.clawmesh.cli.client.AuditClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.output.Table;
import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.common.audit.AuditPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code claw-mesh audit}: the coordinator's audit trail of operator actions, newest first. */
@Component
public class AuditCommands {

    private final MeshClients clients;

    private final Clock clock;

    public AuditCommands(MeshClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Command(
            name = "audit",
            group = "Security",
            description = "Show the audit trail, newest first: who changed rules, removed nodes, rotated the token,"
                    + " canceled tasks, logged in to the dashboard")
    public void audit(
            CommandContext context,
            @Option(
                            longName = "action",
                            description = "only this action (rule.create, node.remove, token.rotate,"
                                    + " task.cancel, dashboard.login, dashboard.login_failed, ...)")
                    @Nullable
                    String action,
            @Option(
                            longName = "actor",
                            description = "only this actor: operator, dashboard, node, or kind:name as" + " shown")
                    @Nullable
                    String actor,
            @Option(
                            longName = "since",
                            description = "only entries this recent: a duration (30m, 24h, 7d) or an"
                                    + " ISO-8601 instant (2026-01-31T12:00:00Z)")
                    @Nullable
                    String since,
            @Option(longName = "limit", description = "entries per page, 1 to 500 (default 50)") @Nullable
                    Integer limit,
            @Option(longName = "cursor", description = "start at this page (from the line after a table)") @Nullable
                    String cursor) {
        if (limit != null && (limit < 1 || limit > 500)) {
            throw new UsageException("audit", "--limit must be between 1 and 500, not " + limit);
        }
        String sinceInstant = (since != null) ? since(since).toString() : null;
        AuditClient audit = this.clients.audit(context);
        AuditPage page = audit.list(action, actor, sinceInstant, limit, cursor);
        Output.print(context.outputWriter(), audit.settings().json(), page, () -> table(page));
    }

    /** A duration back from now, or an instant. */
    Instant since(String value) {
        String text = value.strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException ex) {
            // not an instant: try a duration below
        }
        try {
            char unit = Character.toLowerCase(text.charAt(text.length() - 1));
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            Duration back = switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
            if (amount < 0) {
                throw new NumberFormatException();
            }
            return this.clock.instant().minus(back);
        } catch (RuntimeException ex) {
            throw new UsageException(
                    "audit",
                    "--since takes a duration such as 30m, 24h or 7d, or an instant such as"
                            + " 2026-01-31T12:00:00Z, not '" + Untrusted.cell(value) + "'");
        }
    }

    private static String table(AuditPage page) {
        if (page.entries().isEmpty()) {
            return "no audit entries";
        }
        Table table = new Table("TIME", "ACTOR", "ADDRESS", "ACTION", "TARGET", "OUTCOME", "DETAIL");
        for (AuditEntry entry : page.entries()) {
            table.row(
                    entry.time().toString(),
                    Untrusted.cell(entry.actor()),
                    Untrusted.cell(Objects.requireNonNullElse(entry.address(), "-")),
                    Untrusted.cell(entry.action()),
                    Untrusted.cell(Objects.requireNonNullElse(entry.target(), "-")),
                    Untrusted.cell(entry.outcome()),
                    Untrusted.cell(Objects.requireNonNullElse(entry.detail(), "")));
        }
        String text = table.toString();
        if (page.nextCursor() != null) {
            text += (text.endsWith("\n") ? "" : "\n") + "more: claw-mesh audit --cursor "
                    + Untrusted.cell(page.nextCursor());
        }
        return text;
    }
}
