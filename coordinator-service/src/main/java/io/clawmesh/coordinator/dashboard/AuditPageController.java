package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.audit.AuditPage;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.audit.AuditQuery;
import io.clawmesh.coordinator.audit.AuditTrail;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit page: who did which operator action, newest first, from the {@code audit_log} table (every replica's
 * entries), filtered by action and paged with the API's cursor.
 */
@Controller
class AuditPageController {

    /** Entries per page. */
    static final int PAGE_SIZE = 50;

    /** The action filters offered above the table. */
    static final List<String> FILTERS = List.of(
            "rule.create",
            "rule.update",
            "rule.delete",
            "node.remove",
            "token.rotate",
            "task.cancel",
            "dashboard.login",
            "dashboard.login_failed");

    private final AuditTrail trail;

    AuditPageController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping(DashboardPaths.AUDIT)
    String audit(
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        String shown = (action != null && FILTERS.contains(action)) ? action : "";
        AuditPage page;
        try {
            page = this.trail.list(AuditQuery.parse(shown, null, null), cursor, PAGE_SIZE);
        } catch (InvalidInputException ex) {
            // a stale or edited cursor: start again at the newest entries
            page = this.trail.list(AuditQuery.parse(shown, null, null), null, PAGE_SIZE);
        }
        model.addAttribute("page", "audit");
        model.addAttribute("entries", page.entries());
        model.addAttribute("next", page.nextCursor());
        model.addAttribute("action", shown);
        model.addAttribute("filters", FILTERS);
        return "dashboard/audit";
    }
}
