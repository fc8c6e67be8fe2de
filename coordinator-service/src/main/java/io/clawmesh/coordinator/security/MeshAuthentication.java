package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.audit.ActingCaller;
import io.clawmesh.coordinator.audit.Actor;
import io.clawmesh.coordinator.registry.Caller;
import io.clawmesh.coordinator.registry.MeshRole;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated bearer token: its role and, for a node token, the one node it belongs to; for an operator token,
 * its fingerprint, which names it in the audit trail.
 */
public final class MeshAuthentication extends AbstractAuthenticationToken implements Caller, ActingCaller {

    private final MeshRole role;

    private final @Nullable String nodeId;

    private final @Nullable String fingerprint;

    public MeshAuthentication(MeshRole role, @Nullable String nodeId) {
        this(role, nodeId, null);
    }

    public MeshAuthentication(MeshRole role, @Nullable String nodeId, @Nullable String fingerprint) {
        super(List.of(new SimpleGrantedAuthority(role.authority())));
        this.role = role;
        this.nodeId = nodeId;
        this.fingerprint = fingerprint;
        setAuthenticated(true);
    }

    /** Who this token is in the audit trail. */
    @Override
    public Actor actor() {
        if (this.nodeId != null) {
            return Actor.node(this.nodeId);
        }
        if (this.role == MeshRole.OPERATOR) {
            return Actor.operator((this.fingerprint != null) ? this.fingerprint : "unknown");
        }
        return new Actor(this.role.principalName(), null, null);
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
