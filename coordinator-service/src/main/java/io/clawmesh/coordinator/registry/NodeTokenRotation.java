package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.audit.Actor;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.registry.NodeTokenRepository.ConcurrentRotationException;
import io.clawmesh.coordinator.registry.NodeTokenRepository.Rotation;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Rotates node tokens through the heartbeat reply (SPEC §18, ADR 0014). A heartbeat made after the rotation interval
 * gets a new token in its reply; the current token stays valid until the agent uses the new one, which promotes it,
 * and then for the overlap window. The database holds every state, so any replica may issue, promote or check.
 */
@Service
public class NodeTokenRotation {

    private static final Logger logger = LoggerFactory.getLogger(NodeTokenRotation.class);

    private final NodeTokenRepository repository;

    private final NodeRegistry registry;

    private final NodeTokenProperties properties;

    private final AuditTrail audit;

    private final Clock clock;

    public NodeTokenRotation(
            NodeTokenRepository repository,
            NodeRegistry registry,
            NodeTokenProperties properties,
            AuditTrail audit,
            Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What to answer a heartbeat of {@code node}: a new token when its current one is older than the rotation
     * interval. A token issued before and never used is replaced (its reply was lost, or the agent could not store it).
     */
    public Optional<String> afterHeartbeat(Node node) {
        if (!this.properties.enabled()) {
            return Optional.empty();
        }
        Instant now = this.clock.instant();
        Optional<Rotation> rotation = this.repository.find(node.id(), node.tokenHash());
        if (rotation.isEmpty()) {
            // a token this coordinator has not followed yet (new, registered again, or before rotation existed)
            try {
                this.repository.track(node.id(), node.tokenHash(), now);
            } catch (DataIntegrityViolationException ex) {
                // another replica started following it at the same moment, or the node was removed meanwhile
                logger.debug("Node {}: token rotation not tracked ({})", node.id(), ex.getMessage());
            }
            return Optional.empty();
        }
        if (now.isBefore(rotation.get().rotatedAt().plus(this.properties.rotation()))) {
            return Optional.empty();
        }
        String token = NodeTokens.newToken();
        if (!this.repository.issue(node.id(), node.tokenHash(), NodeCredentials.hash(token), now)) {
            return Optional.empty();
        }
        logger.info("Node {} ({}): a new node token goes out in the heartbeat reply", node.name(), node.id());
        return Optional.of(token);
    }

    /**
     * The node whose pending or replaced token has {@code tokenHash}, for a token the registry does not know as a
     * node's current one. The first use of a pending token makes it the node's token; a replaced one is accepted
     * until its overlap ends.
     */
    public Optional<String> authenticate(String tokenHash) {
        Optional<Rotation> found = this.repository.findByOtherHash(tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Rotation rotation = found.get();
        Instant now = this.clock.instant();
        if (tokenHash.equals(rotation.pendingHash())) {
            return promote(rotation, tokenHash, now);
        }
        Instant until = rotation.previousExpiresAt();
        if (tokenHash.equals(rotation.previousHash()) && until != null && now.isBefore(until)) {
            return Optional.of(rotation.nodeId());
        }
        return Optional.empty();
    }

    private Optional<String> promote(Rotation rotation, String tokenHash, Instant now) {
        Instant until = now.plus(this.properties.overlap());
        boolean promoted;
        try {
            promoted = this.repository.promote(rotation, now, until);
        } catch (ConcurrentRotationException ex) {
            promoted = false;
        }
        // promoted here or by another replica meanwhile: either way the node row says which token is current now
        Optional<Node> node = this.registry.reloadNode(rotation.nodeId());
        if (node.isEmpty() || !node.get().tokenHash().equals(tokenHash)) {
            return Optional.empty();
        }
        if (promoted) {
            logger.info(
                    "Node {} ({}) uses its new node token; the previous one is accepted until {}",
                    node.get().name(),
                    rotation.nodeId(),
                    until);
            this.audit.record(
                    Actor.node(rotation.nodeId()),
                    AuditAction.NODE_TOKEN_ROTATE,
                    node.get().name(),
                    "node " + rotation.nodeId() + " switched to its new token; the previous one is accepted until "
                            + until,
                    AuditTrail.SUCCESS);
        }
        return Optional.of(rotation.nodeId());
    }
}
