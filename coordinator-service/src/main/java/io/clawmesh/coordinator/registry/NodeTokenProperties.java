package io.clawmesh.coordinator.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Node token rotation ({@code mesh.security.node-token.*}, ADR 0014).
 *
 * @param rotation how long a node token is used before a heartbeat reply hands over a new one; {@code 0} turns
 *     rotation off
 * @param overlap how long the replaced token keeps working once the agent has used the new one (requests already
 *     under way, replicas that have not re-read the node yet); shorter than {@code rotation}
 */
@ConfigurationProperties("mesh.security.node-token")
public record NodeTokenProperties(
        @DefaultValue("24h") Duration rotation,
        @DefaultValue("10m") Duration overlap) {

    public NodeTokenProperties {
        if (rotation.isNegative() || overlap.isNegative()) {
            throw new IllegalArgumentException("mesh.security.node-token.rotation and .overlap must not be negative");
        }
        if (!rotation.isZero() && overlap.compareTo(rotation) >= 0) {
            throw new IllegalArgumentException("mesh.security.node-token.overlap (" + overlap
                    + ") must be shorter than mesh.security.node-token.rotation (" + rotation + ")");
        }
    }

    /** Whether node tokens rotate at all. */
    public boolean enabled() {
        return !this.rotation.isZero();
    }
}
