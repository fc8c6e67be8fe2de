package io.clawmesh.coordinator.security;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Security settings ({@code mesh.security.*}).
 *
 * @param token the operator token; generated and stored in the data dir when empty
 * @param joinToken a secret that can only register nodes; the operator token when empty
 * @param allowPrivate accept node endpoints on loopback and private networks (LAN setups)
 * @param allowLoopback accept loopback node endpoints only (what {@code claw-mesh up} sets for its local node)
 * @param maxBodySize requests with a larger body are refused with 413
 * @param rotationOverlap how long the operator tokens valid before a rotation keep working after it
 */
@ConfigurationProperties("mesh.security")
public record MeshSecurityProperties(
        @Nullable String token,
        @Nullable String joinToken,
        @DefaultValue("false") boolean allowPrivate,
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("1h") Duration rotationOverlap) {}
