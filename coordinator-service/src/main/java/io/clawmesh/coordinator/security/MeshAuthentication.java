package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.registry.Caller;
import io.clawmesh.coordinator.registry.MeshRole;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated bearer token: its role and, for a node token, the one node it belongs to. */
public final class MeshAuthentication extends AbstractAuthenticationToken implements Caller {

    private final MeshRole role;

    private final @Nullable String nodeId;

    public MeshAuthentication(MeshRole role, @Nullable String nodeId) {
        super(List.of(new SimpleGrantedAuthority(role.authority())));
        this.role = role;
        this.nodeId = nodeId;
        setAuthenticated(true);
    }

    @Override
    public MeshRole role() {
        return this.role;
    }

    /** The node a node token is scoped to; {@code null} for operator and join tokens. */
    @Override
    public @Nullable String nodeId() {
        return this.nodeId;
    }

    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return (this.nodeId != null) ? this.nodeId : this.role.principalName();
    }
}
