package io.clawmesh.agent.registration;

import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import java.util.function.Supplier;

/**
 * What the agent tells the coordinator about itself: name, endpoint, capabilities, runtime and load, and the status
 * that follows from them.
 */
public record NodeReporter(
        String name,
        Supplier<String> endpoint,
        Supplier<Capabilities> capabilities,
        Supplier<RuntimeInfo> runtime,
        CapacityGate gate) {

    /** {@code degraded} when the runtime is disconnected, {@code busy} when every slot is taken, else {@code online}. */
    public NodeStatus status(RuntimeInfo runtimeInfo) {
        if (!runtimeInfo.connected()) {
            return NodeStatus.DEGRADED;
        }
        return (this.gate.inflight() >= this.gate.capacity()) ? NodeStatus.BUSY : NodeStatus.ONLINE;
    }
}
