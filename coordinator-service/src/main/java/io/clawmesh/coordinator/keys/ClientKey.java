package io.clawmesh.coordinator.keys;

import io.clawmesh.common.key.ClientKeyView;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A client key as its row holds it.
 *
 * @param secretHash SHA-256 of the secret, hex; the secret itself is never stored
 * @param models the model patterns it may use; empty for all
 * @param ratePerMinute its limit of requests a minute; {@code null} for none
 */
public record ClientKey(
        String id,
        String name,
        String secretHash,
        List<String> models,
        @Nullable Integer ratePerMinute,
        Instant createdAt,
        @Nullable Instant revokedAt,
        @Nullable Instant lastUsedAt,
        long useCount) {

    public ClientKey {
        models = List.copyOf(models);
    }

    /** Whether it was revoked. */
    public boolean revoked() {
        return this.revokedAt != null;
    }

    /** Whether it may use {@code model}: every model when it lists none, else one of its patterns must match. */
    public boolean allowsModel(String model) {
        return this.models.isEmpty()
                || this.models.stream().anyMatch((pattern) -> ModelPattern.matches(pattern, model));
    }

    /** The key as the API shows it, without its hash. */
    public ClientKeyView view() {
        return new ClientKeyView(
                this.id,
                this.name,
                this.models,
                this.ratePerMinute,
                this.createdAt,
                this.revokedAt,
                this.lastUsedAt,
                this.useCount);
    }
}
