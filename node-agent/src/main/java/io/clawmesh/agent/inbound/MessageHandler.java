package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.web.JsonBodyReader;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * {@code POST /api/v1/messages}: checks the delivery credential, reads the message and answers the runtime's reply.
 * Failures are thrown and answered as problems by {@link AgentHttpServer}.
 */
class MessageHandler implements HttpHandler {

    /** Ids that go into the logging context as they are: the coordinator's form, never arbitrary text. */
    private static final Pattern LOGGABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final DeliveryAuthenticator authenticator;

    private final JsonBodyReader bodies;

    private final JsonResponses responses;

    private final MessageDispatcher dispatcher;

    private final RegistrationState state;

    MessageHandler(
            RegistrationState state, MessageDispatcher dispatcher, JsonBodyReader bodies, JsonResponses responses) {
        this.authenticator = new DeliveryAuthenticator(state);
        this.state = state;
        this.dispatcher = dispatcher;
        this.bodies = bodies;
        this.responses = responses;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // Every log line about this message carries its id: from the coordinator's header at once, from the body after.
        String headerId = exchange.getRequestHeaders().getFirst(ApiPaths.MESSAGE_ID_HEADER);
        if (headerId != null && LOGGABLE_ID.matcher(headerId).matches()) {
            MDC.put(ApiPaths.MESSAGE_ID_MDC_KEY, headerId);
        }
        try {
            this.authenticator.check(exchange.getRequestHeaders().getFirst("Authorization"));
            AgentMessageRequest message = this.bodies.read(exchange, AgentMessageRequest.class);
            // usually the id the header already put there
            if (message.id() != null
                    && !message.id().equals(headerId)
                    && LOGGABLE_ID.matcher(message.id()).matches()) {
                MDC.put(ApiPaths.MESSAGE_ID_MDC_KEY, message.id());
            }
            String nodeId = this.state.identity().map(NodeIdentity::nodeId).orElseThrow(NotRegisteredException::new);
            String reply = this.dispatcher.dispatch(message);
            this.responses.send(exchange, 200, new AgentMessageResponse(message.id(), nodeId, reply));
        } finally {
            MDC.remove(ApiPaths.MESSAGE_ID_MDC_KEY);
        }
    }
}
