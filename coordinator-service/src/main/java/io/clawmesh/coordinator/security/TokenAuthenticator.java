package io.clawmesh.coordinator.security;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeTokenRotation;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Tells what a bearer token is: the operator token, the join token, a client key ({@code cmk_…}, through
 * {@link ClientKeys}' cache) or a node token (looked up by its hash; a token a rotation issued or replaced through
 * {@link NodeTokenRotation}). Secret comparisons are constant-time.
 */
@Component
public class TokenAuthenticator {

    private static final String NODE_TOKEN_PREFIX = "cmn_";

    private final OperatorToken tokens;

    private final NodeRegistry registry;

    private final ClientKeys clientKeys;

    private final NodeTokenRotation rotation;

    public TokenAuthenticator(
            OperatorToken tokens, NodeRegistry registry, ClientKeys clientKeys, NodeTokenRotation rotation) {
        this.tokens = tokens;
        this.registry = registry;
        this.clientKeys = clientKeys;
        this.rotation = rotation;
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
        String hash = NodeCredentials.hash(token);
        Optional<String> nodeId = this.registry.findByTokenHash(hash).map(Node::id);
        if (nodeId.isEmpty() && token.startsWith(NODE_TOKEN_PREFIX)) {
            // not a node's current token in this replica's view: one a rotation issued or replaced (the database knows)
            nodeId = this.rotation.authenticate(hash);
        }
        return nodeId.map((id) -> new MeshAuthentication(MeshRole.NODE, id));
    }
}
