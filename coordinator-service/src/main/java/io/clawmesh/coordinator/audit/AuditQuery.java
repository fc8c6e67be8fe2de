package io.clawmesh.coordinator.audit;

import io.clawmesh.common.node.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Which audit entries to read; every part optional.
 *
 * @param action only this action
 * @param actorKind only actors of this kind ({@code operator}, {@code dashboard}, {@code node}, {@code key})
 * @param actorName only the actor with this name (with {@code actorKind})
 * @param since only entries recorded at or after this time
 */
public record AuditQuery(
        @Nullable AuditAction action,
        @Nullable String actorKind,
        @Nullable String actorName,
        @Nullable Instant since) {

    /** Every entry. */
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null);

    /**
     * The query of the API's parameters.
     *
     * @param action a wire name such as {@code rule.create}
     * @param actor {@code kind} or {@code kind:name}, as the entries show it
     * @param since an ISO-8601 instant such as {@code 2026-01-31T12:00:00Z}
     * @throws InvalidInputException naming the parameter that is not understood
     */
    public static AuditQuery parse(@Nullable String action, @Nullable String actor, @Nullable String since) {
        AuditAction parsedAction = null;
        if (action != null && !action.isBlank()) {
            try {
                parsedAction = AuditAction.fromWire(action);
            } catch (IllegalArgumentException ex) {
                throw new InvalidInputException("action: " + ex.getMessage());
            }
        }
        String kind = null;
        String name = null;
        if (actor != null && !actor.isBlank()) {
            String trimmed = actor.strip();
            if (trimmed.length() > 220) {
                throw new InvalidInputException("actor: at most 220 characters (kind or kind:name)");
            }
            int colon = trimmed.indexOf(':');
            kind = (colon < 0) ? trimmed : trimmed.substring(0, colon);
            name = (colon < 0) ? null : trimmed.substring(colon + 1);
        }
        Instant parsedSince = null;
        if (since != null && !since.isBlank()) {
            try {
                parsedSince = Instant.parse(since.strip());
            } catch (DateTimeParseException ex) {
                throw new InvalidInputException("since: not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        return new AuditQuery(parsedAction, kind, name, parsedSince);
    }
}
