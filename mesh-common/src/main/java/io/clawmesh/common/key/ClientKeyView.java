package io.clawmesh.common.key;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A client key as {@code GET /api/v1/keys} shows it: never its secret.
 *
 * @param models the models it may use; empty for all
 * @param ratePerMinute its limit of requests a minute; {@code null} for none
 * @param lastUsedAt when it was last used (written in batches, so up to a few seconds late)
 * @param useCount how many requests it made (written in batches like {@code lastUsedAt})
 */
public record ClientKeyView(
        String id,
        String name,
        List<String> models,
        @JsonProperty("rate_per_minute") @Nullable Integer ratePerMinute,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("revoked_at") @Nullable Instant revokedAt,
        @JsonProperty("last_used_at") @Nullable Instant lastUsedAt,
        @JsonProperty("use_count") long useCount) {}
