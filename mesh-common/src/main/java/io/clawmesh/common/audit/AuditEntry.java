package io.clawmesh.common.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One recorded operator action.
 *
 * @param id increasing number of the entry
 * @param time when it was recorded, by the database clock
 * @param actor who: {@code operator:<fingerprint>}, {@code dashboard:<user>}, {@code node:<id>}, {@code key:<name>}
 *     or {@code system}
 * @param address the remote address of a dashboard session, when known
 * @param action what, from a small fixed vocabulary such as {@code rule.create} or {@code token.rotate}
 * @param target what it was done to (a rule id, a node name, a task id, a token fingerprint), when anything
 * @param detail a short description, never a secret
 * @param outcome {@code success}, {@code failure} or {@code denied}
 */
public record AuditEntry(
        long id,
        Instant time,
        String actor,
        @Nullable String address,
        String action,
        @Nullable String target,
        @Nullable String detail,
        String outcome) {}
