package io.clawmesh.coordinator.security;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.registry.NodeRegistry;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Tells what a bearer token is: the operator token, the join token, a client key ({@code cmk_…}, through
 * {@link ClientKeys}' cache) or a node token (looked up by its hash). Secret comparisons are constant-time.
 */
@Component
public class TokenAuthenticator {

    private final OperatorToken tokens;

    private final NodeRegistry registry;

    private final ClientKeys clientKeys;

    public TokenAuthenticator(OperatorToken tokens, NodeRegistry registry, ClientKeys clientKeys) {
        this.tokens = tokens;
        this.registry = registry;
        this.clientKeys = clientKeys;
    }

    /** The authentication for {@code token}, empty when the token is not known. */
    public Optional<MeshAuthentication> authenticate(String token) {
        Optional<String> operator = this.tokens.operatorFingerprint(token);
        boolean join = this.tokens.isJoin(token);
        if (operator.isPresent()) {
            return Optional.of(new MeshAuthentication(MeshRole.OPERATOR, null, operator.get()));
        }
        if (join) {
            return Optional.of(new MeshAuthentication(MeshRole.JOIN, null));
        }
        if (ClientKeys.isClientKey(token)) {
            return this.clientKeys.authenticate(token).map(MeshAuthentication::client);
        }
        return this.registry
                .findByTokenHash(NodeCredentials.hash(token))
                .map((node) -> new MeshAuthentication(MeshRole.NODE, node.id()));
    }
}
