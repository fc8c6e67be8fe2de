package io.clawmesh.coordinator.audit;

import io.clawmesh.common.audit.AuditEntry;
import io.clawmesh.common.audit.AuditPage;
import io.clawmesh.common.node.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * The one entry point of the audit trail: features record an operator action after it happened, and the API and the
 * dashboard read the entries. A failed insert never fails the action: it is logged at ERROR with the whole entry, so
 * that the log still holds what the table lost.
 */
@Component
public class AuditTrail {

    /** Outcome of an action that was done. */
    public static final String SUCCESS = "success";

    /** Outcome of an attempt that was refused (a wrong password, a throttled login). */
    public static final String FAILURE = "failure";

    /** The largest page the API hands out. */
    public static final int MAX_LIMIT = 500;

    private static final Logger logger = LoggerFactory.getLogger(AuditTrail.class);

    private static final String CURSOR_PREFIX = "audit:";

    private static final int MAX_TEXT = 200;

    private static final int MAX_DETAIL = 500;

    private final AuditRepository repository;

    public AuditTrail(AuditRepository repository) {
        this.repository = repository;
    }

    /** Records a successful action by the caller of the current request. */
    public void record(AuditAction action, @Nullable String target, @Nullable String detail) {
        record(currentActor(), action, target, detail, SUCCESS);
    }

    /** Records an action by {@code actor}. */
    public void record(
            Actor actor, AuditAction action, @Nullable String target, @Nullable String detail, String outcome) {
        Actor clean = new Actor(actor.kind(), clip(actor.name(), MAX_TEXT), clip(actor.address(), 100));
        try {
            this.repository.append(clean, action, clip(target, MAX_TEXT), clip(detail, MAX_DETAIL), outcome);
        } catch (RuntimeException ex) {
            logger.error(
                    "AUDIT ENTRY LOST: could not write {} by {} (address {}) on {} ({}, {}) to the audit_log table",
                    action.wireName(),
                    clean.label(),
                    clean.address(),
                    target,
                    detail,
                    outcome,
                    ex);
        }
    }

    /**
     * One page of entries, newest first.
     *
     * @param cursor the {@code next_cursor} of the previous page
     * @throws InvalidInputException for a limit out of range or a cursor this coordinator did not issue
     */
    public AuditPage list(AuditQuery query, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT);
        }
        Long before = (cursor != null && !cursor.isBlank()) ? decodeCursor(cursor.strip()) : null;
        List<AuditEntry> entries = this.repository.find(query, before, limit + 1);
        String next = null;
        if (entries.size() > limit) {
            entries = entries.subList(0, limit);
            next = encodeCursor(entries.getLast().id());
        }
        return new AuditPage(List.copyOf(entries), next);
    }

    /**
     * Who the current request's caller is: a token caller says so itself, anything else authenticated is a dashboard
     * session, and no authentication is the coordinator itself.
     */
    public static Actor currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return Actor.system();
        }
        if (authentication instanceof ActingCaller caller) {
            return caller.actor();
        }
        String address = (authentication.getDetails() instanceof WebAuthenticationDetails details)
                ? details.getRemoteAddress()
                : null;
        return Actor.dashboard(authentication.getName(), address);
    }

    static String encodeCursor(long id) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                long id = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException ex) {
            // falls through to the one message below
        }
        throw new InvalidInputException(
                "cursor is not one this coordinator issued; pass the next_cursor of the previous page unchanged");
    }

    /** Cuts text to {@code max} characters and replaces control characters, so that no entry can forge a line. */
    private static @Nullable String clip(@Nullable String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(Math.min(text.length(), max));
        text.codePoints().limit(max).forEach((c) -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }
}
