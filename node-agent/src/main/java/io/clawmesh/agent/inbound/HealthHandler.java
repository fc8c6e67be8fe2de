package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.common.message.AgentHealthResponse;
import io.clawmesh.common.node.RuntimeInfo;
import java.io.IOException;

/** {@code GET /healthz}, open to anyone: status, runtime, name, node id and load; never a secret. */
class HealthHandler implements HttpHandler {

    private final AgentRuntime runtime;

    private final CapacityGate gate;

    private final RegistrationState state;

    private final LocalNode localNode;

    private final JsonResponses responses;

    HealthHandler(
            AgentRuntime runtime,
            CapacityGate gate,
            RegistrationState state,
            LocalNode localNode,
            JsonResponses responses) {
        this.runtime = runtime;
        this.gate = gate;
        this.state = state;
        this.localNode = localNode;
        this.responses = responses;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        RuntimeInfo info = this.runtime.info();
        AgentHealthResponse health = new AgentHealthResponse(
                info.connected() ? "ok" : "degraded",
                info,
                this.localNode.name(),
                this.state.identity().map(NodeIdentity::nodeId).orElse(null),
                this.gate.inflight(),
                this.gate.capacity());
        this.responses.send(exchange, 200, health);
    }
}
