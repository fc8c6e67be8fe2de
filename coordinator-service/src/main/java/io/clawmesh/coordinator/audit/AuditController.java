package io.clawmesh.coordinator.audit;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.audit.AuditPage;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/audit}: the audit trail, newest first, filtered and paged (operator token only). */
@RestController
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping(ApiPaths.AUDIT)
    AuditPage list(
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(required = false) @Nullable String actor,
            @RequestParam(required = false) @Nullable String since,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return this.trail.list(AuditQuery.parse(action, actor, since), cursor, limit);
    }
}
