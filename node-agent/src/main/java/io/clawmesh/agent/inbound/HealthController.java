package io.clawmesh.agent.inbound;

import io.clawmesh.agent.registration.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentHealthResponse;
import io.clawmesh.common.node.RuntimeInfo;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The open health endpoint the coordinator probes: status, runtime, name, node id and load; never a secret. */
@RestController
public class HealthController {

    private final AgentRuntime runtime;

    private final CapacityGate gate;

    private final RegistrationState state;

    private final LocalNode localNode;

    public HealthController(AgentRuntime runtime, CapacityGate gate, RegistrationState state, LocalNode localNode) {
        this.runtime = runtime;
        this.gate = gate;
        this.state = state;
        this.localNode = localNode;
    }

    @GetMapping(ApiPaths.AGENT_HEALTH)
    public AgentHealthResponse health() {
        RuntimeInfo info = this.runtime.info();
        return new AgentHealthResponse(
                info.connected() ? "ok" : "degraded",
                info,
                this.localNode.name(),
                this.state.identity().map(NodeIdentity::nodeId).orElse(null),
                this.gate.inflight(),
                this.gate.capacity());
    }
}
