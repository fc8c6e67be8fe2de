package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.audit.ActingCaller;
import io.clawmesh.coordinator.audit.Actor;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.registry.Caller;
import io.clawmesh.coordinator.registry.MeshRole;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated bearer token: its role and, for a node token, the one node it belongs to; for an operator token,
 * its fingerprint, which names it in the audit trail; for a client key, the key.
 */
public final class MeshAuthentication extends AbstractAuthenticationToken implements Caller, ActingCaller {

    private final MeshRole role;

    private final @Nullable String nodeId;

    private final @Nullable String fingerprint;

    private final @Nullable ClientKey clientKey;

    public MeshAuthentication(MeshRole role, @Nullable String nodeId) {
        this(role, nodeId, null);
    }

    public MeshAuthentication(MeshRole role, @Nullable String nodeId, @Nullable String fingerprint) {
        this(role, nodeId, fingerprint, null);
    }

    private MeshAuthentication(
            MeshRole role, @Nullable String nodeId, @Nullable String fingerprint, @Nullable ClientKey clientKey) {
        super(List.of(new SimpleGrantedAuthority(role.authority())));
        this.role = role;
        this.nodeId = nodeId;
        this.fingerprint = fingerprint;
        this.clientKey = clientKey;
        setAuthenticated(true);
    }

    /** The authentication of a client key. */
    public static MeshAuthentication client(ClientKey key) {
        return new MeshAuthentication(MeshRole.CLIENT, null, null, key);
    }

    /** The client key of a client's authentication; {@code null} for every other token. */
    public @Nullable ClientKey clientKey() {
        return this.clientKey;
    }

    @Override
    public @Nullable String clientKeyId() {
        return (this.clientKey != null) ? this.clientKey.id() : null;
    }

    /** Who this token is in the audit trail. */
    @Override
    public Actor actor() {
        if (this.clientKey != null) {
            return Actor.key(this.clientKey.name());
        }
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
        if (this.clientKey != null) {
            return this.clientKey.name();
        }
        return (this.nodeId != null) ? this.nodeId : this.role.principalName();
    }
}
