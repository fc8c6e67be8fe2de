package io.clawmesh.common.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /api/v1/audit}, newest first.
 *
 * @param entries the entries of this page
 * @param nextCursor the opaque cursor of the next page, {@code null} on the last page
 */
public record AuditPage(
        List<AuditEntry> entries,
        @JsonProperty("next_cursor") @Nullable String nextCursor) {}
