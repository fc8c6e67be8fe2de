package io.clawmesh.common.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The answer of {@code POST /api/v1/token/rotate}: the new operator token, shown this once.
 *
 * @param token the new operator token; valid at once on every coordinator sharing the database
 * @param fingerprint a short non-secret name of the new token, as the audit trail shows it
 * @param previousValidUntil until when the tokens valid before the rotation keep working
 */
public record RotatedToken(
        String token,
        String fingerprint,
        @JsonProperty("previous_valid_until") Instant previousValidUntil) {

    @Override
    public String toString() {
        return "RotatedToken[token=<redacted>, fingerprint=" + this.fingerprint + ", previousValidUntil="
                + this.previousValidUntil + "]";
    }
}
