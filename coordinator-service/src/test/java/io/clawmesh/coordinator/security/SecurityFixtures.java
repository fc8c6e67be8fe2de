package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.MeshProperties;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/** Operator and join tokens for the security tests. */
public final class SecurityFixtures {

    public static final String OPERATOR = "cmo_operator-secret-for-tests";

    public static final String JOIN = "cmj_join-secret-for-tests";

    private SecurityFixtures() {}

    public static MeshSecurityProperties properties(@Nullable String token, @Nullable String joinToken) {
        return new MeshSecurityProperties(
                token, joinToken, false, false, DataSize.ofMegabytes(1), java.time.Duration.ofHours(1));
    }

    /** Tokens as configured, with {@code dataDir} where a generated operator token would be stored. */
    public static OperatorToken tokens(@Nullable String token, @Nullable String joinToken, Path dataDir) {
        return new OperatorToken(properties(token, joinToken), new MeshProperties(dataDir));
    }
}
