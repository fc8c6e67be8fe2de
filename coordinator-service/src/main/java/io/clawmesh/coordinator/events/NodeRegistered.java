package io.clawmesh.coordinator.events;

import io.clawmesh.common.node.NodeStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A node registered, or re-registered under its name (same id, new token).
 *
 * @param previousStatus the status before a re-registration; {@code null} for a new node
 */
public record NodeRegistered(NodeRef node, @Nullable NodeStatus previousStatus, Instant time) implements MeshEvent {

    /** Whether an existing node of the same name was taken over. */
    public boolean reregistered() {
        return this.previousStatus != null;
    }
}
