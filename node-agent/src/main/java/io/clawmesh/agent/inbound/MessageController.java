package io.clawmesh.agent.inbound;

import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Receives messages from the coordinator (authenticated by {@link DeliveryAuthInterceptor}) and answers the reply. */
@RestController
public class MessageController {

    private final MessageDispatcher dispatcher;

    private final RegistrationState state;

    public MessageController(MessageDispatcher dispatcher, RegistrationState state) {
        this.dispatcher = dispatcher;
        this.state = state;
    }

    @PostMapping(ApiPaths.AGENT_MESSAGES)
    public AgentMessageResponse receive(@RequestBody AgentMessageRequest message) {
        String nodeId = this.state.identity().map(NodeIdentity::nodeId).orElseThrow(NotRegisteredException::new);
        String reply = this.dispatcher.dispatch(message);
        return new AgentMessageResponse(message.id(), nodeId, reply);
    }
}
