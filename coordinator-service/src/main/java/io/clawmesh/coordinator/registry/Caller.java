package io.clawmesh.coordinator.registry;

import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling the registry API, as the security chain authenticated it: the token's role and, for a node token,
 * the one node it belongs to. The security package implements it, so the registry needs nothing from security.
 */
public interface Caller {

    /** What the caller's token may do. */
    MeshRole role();

    /** The node a node token is scoped to; {@code null} for operator and join tokens. */
    @Nullable
    String nodeId();

    /** The id of the client key that is calling (SPEC §21); {@code null} for every other token. */
    default @Nullable String clientKeyId() {
        return null;
    }

    /**
     * The client key id of {@code principal} when it is a client key's caller; {@code null} for the operator, anyone
     * else and no principal. What the task API filters by: a client key sees only its own tasks.
     */
    static @Nullable String clientKeyIdOf(@Nullable Principal principal) {
        return (principal instanceof Caller caller) ? caller.clientKeyId() : null;
    }
}
