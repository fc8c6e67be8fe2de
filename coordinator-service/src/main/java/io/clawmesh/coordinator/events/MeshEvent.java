package io.clawmesh.coordinator.events;

import java.time.Instant;

/**
 * Something that happened in the mesh, published after it was committed. Listeners run on the publishing thread, which
 * is often a request thread on the routing hot path: they must be quick and must not throw.
 */
public sealed interface MeshEvent
        permits NodeRegistered,
                NodeStatusChanged,
                NodeRemoved,
                NodeProbeFailed,
                RuleAdded,
                RuleRemoved,
                RuleMoved,
                ForwardAttempted,
                MessageHandled,
                NodeRenewed,
                TaskQueued,
                TaskStarted,
                TaskFinished {

    /** When it happened. */
    Instant time();
}
