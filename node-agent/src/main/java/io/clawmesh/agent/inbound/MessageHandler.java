package io.clawmesh.agent.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.RunAbort;
import io.clawmesh.agent.web.JsonBodyReader;
import io.clawmesh.agent.web.JsonResponses;
import io.clawmesh.agent.web.RequestRejectedException;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.task.TaskDelta;
import io.clawmesh.common.task.TaskEventTypes;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/messages}: checks the delivery credential, reads the message and answers the runtime's reply,
 * as JSON or, with {@code Accept: text/event-stream}, as {@code delta} events then {@code done} (or {@code error}).
 * Failures before the message is accepted are thrown and answered as problems by {@link AgentHttpServer}, with their
 * own status also on the streamed path, so the coordinator can tell "not accepted" and try another node.
 * <p>
 * {@code DELETE /api/v1/messages/{id}} ({@link #cancel}) cancels a message running here, with the same credential: the
 * coordinator's way to stop a run whose client went away while it waited for the whole (JSON) answer.
 */
class MessageHandler implements HttpHandler {

    /** Ids that go into the logging context as they are: the coordinator's form, never arbitrary text. */
    private static final Pattern LOGGABLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final DeliveryAuthenticator authenticator;

    private final JsonBodyReader bodies;

    private final JsonResponses responses;

    private final MessageDispatcher dispatcher;

    private final RegistrationState state;

    private final JsonMapper json;

    MessageHandler(
            RegistrationState state,
            MessageDispatcher dispatcher,
            JsonBodyReader bodies,
            JsonResponses responses,
            JsonMapper json) {
        this.json = json;
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
            if (TaskEndpoints.wantsEventStream(exchange)) {
                streamed(exchange, message, nodeId);
                return;
            }
            String reply = this.dispatcher.dispatch(message);
            this.responses.send(exchange, 200, new AgentMessageResponse(message.id(), nodeId, reply));
        } finally {
            MDC.remove(ApiPaths.MESSAGE_ID_MDC_KEY);
        }
    }

    /**
     * {@code DELETE /api/v1/messages/{id}}: 204 when the message was running here and its run has been asked to stop
     * (its own request then answers the runtime's "aborted" failure); 404 when no message with this id is running.
     */
    void cancel(HttpExchange exchange) throws IOException {
        this.authenticator.check(exchange.getRequestHeaders().getFirst("Authorization"));
        String id = AgentHttpServer.pathVariable(exchange, "id");
        if (!LOGGABLE_ID.matcher(id).matches()) {
            throw new InvalidInputException("A message id is 1 to 100 characters of A-Z a-z 0-9 . _ : -");
        }
        if (!this.dispatcher.cancel(id)) {
            throw new RequestRejectedException(ProblemType.NOT_FOUND, "No message " + id + " is running here.");
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void streamed(HttpExchange exchange, AgentMessageRequest message, String nodeId) {
        LiveReply live = new LiveReply(new EventStreamWriter(exchange, this.json));
        String reply;
        try {
            reply = this.dispatcher.dispatch(message, live);
        } catch (RuntimeException ex) {
            if (!live.accepted) {
                throw ex;
            }
            live.send(
                    TaskEventTypes.ERROR,
                    ApiProblems.from(ex).body(exchange.getRequestURI().getRawPath()));
            return;
        }
        if (!live.accepted) {
            // a repeated id, answered from its first run: the whole reply in one piece
            live.open();
            if (!reply.isEmpty()) {
                live.delta(reply);
            }
        }
        live.send(TaskEventTypes.DONE, new AgentMessageResponse(message.id(), nodeId, reply));
    }

    /**
     * The event stream of one streamed message. A client that went away (a write failed: the coordinator closed the
     * stream because its own client left) aborts the run, so the runtime stops working for no one; a retry of the
     * same id then gets the aborted run's error. On the JSON path nothing tells that the client left, and a finished
     * reply is kept for a retry of the same id.
     */
    private static final class LiveReply implements MessageDispatcher.ReplyStream {

        private final EventStreamWriter events;

        private volatile boolean accepted;

        private volatile boolean broken;

        private final RunAbort abort = new RunAbort();

        LiveReply(EventStreamWriter events) {
            this.events = events;
        }

        @Override
        public void open() {
            this.accepted = true;
            try {
                this.events.open();
            } catch (IOException ex) {
                gone();
            }
        }

        @Override
        public RunAbort abort() {
            return this.abort;
        }

        @Override
        public void delta(String text) {
            send(TaskEventTypes.DELTA, new TaskDelta(text));
        }

        void send(String name, Object data) {
            if (this.broken) {
                return;
            }
            try {
                this.events.event(null, name, data);
            } catch (IOException ex) {
                gone();
            }
        }

        private void gone() {
            this.broken = true;
            this.abort.abort("the client of the streamed message went away");
        }
    }
}
