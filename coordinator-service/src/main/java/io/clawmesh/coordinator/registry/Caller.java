package io.clawmesh.coordinator.registry;

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
}
