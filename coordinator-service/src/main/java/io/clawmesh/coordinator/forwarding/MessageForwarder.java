package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.events.ForwardAttempted;
import io.clawmesh.coordinator.events.MessageHandled;
import io.clawmesh.coordinator.events.RoutingEventPublisher;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.messages.MessageLog;
import io.clawmesh.coordinator.messages.MessageRecord;
import io.clawmesh.coordinator.messages.MessageRecord.Outcome;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.FailoverCooldowns;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import io.clawmesh.coordinator.routing.NodeSelector;
import io.clawmesh.coordinator.routing.RouteCandidates;
import io.clawmesh.coordinator.routing.RouteResolver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Routes a message and hands it to a node, failing over to the next candidate when a node does not take it (SPEC §6).
 * The message id travels with every attempt as the runtime's idempotency key; a node that accepted a message and then
 * ran out of time is never sent the message again.
 */
@Service
public class MessageForwarder {

    private static final Logger logger = LoggerFactory.getLogger(MessageForwarder.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int MAX_CONTENT_CHARS = 512 * 1024;

    /** The message log's status of a streamed message whose client went away (nginx's "client closed request"). */
    static final int CLIENT_CLOSED = 499;

    private static final String CANCELED_FOR_CLIENT =
            "the client closed its connection before the answer; the run was canceled on the node";

    private final RouteResolver resolver;

    private final NodeSelector selector;

    private final NodeClient client;

    private final InflightTracker inflight;

    private final FailoverCooldowns cooldowns;

    private final MessageLog log;

    private final ForwardingProperties properties;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    public MessageForwarder(
            RouteResolver resolver,
            NodeSelector selector,
            NodeClient client,
            InflightTracker inflight,
            FailoverCooldowns cooldowns,
            MessageLog log,
            ForwardingProperties properties,
            Clock clock,
            @Value(RoutingEventPublisher.REFERENCE) ApplicationEventPublisher events) {
        this.resolver = resolver;
        this.selector = selector;
        this.client = client;
        this.inflight = inflight;
        this.cooldowns = cooldowns;
        this.log = log;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
    }

    /** Routes a message by the rules. */
    public RouteResponse route(RouteRequest request) {
        return route(request, (ReplyListener) null);
    }

    /**
     * Routes a message by the rules and streams its reply to {@code listener} as the node produces it. Resolution,
     * selection, failover (only until a node accepted the message), in-flight counting, the message log and the events
     * are those of {@link #route(RouteRequest)}.
     *
     * @param listener gets the pieces of the reply; {@code null} to wait for the whole answer
     * @throws ClientGoneException when the listener's client went away; the message is logged as failed
     */
    public RouteResponse route(RouteRequest request, @Nullable ReplyListener listener) {
        validate(request);
        String messageId = newMessageId();
        // the id in the logging context of every line about this message (the agent gets it in a header)
        try (MDC.MDCCloseable context = MDC.putCloseable(ApiPaths.MESSAGE_ID_MDC_KEY, messageId)) {
            return route(messageId, request, listener);
        }
    }

    /**
     * Routes a message by the rules and waits for the node's whole answer, as {@link #route(RouteRequest)}, while
     * {@code watch} watches the client: when it leaves, the run is canceled on the node by the message's id and the
     * message is logged as its client closed the request.
     *
     * @throws ClientGoneException when the client went away before the answer
     */
    public RouteResponse route(RouteRequest request, ClientWatch watch) {
        validate(request);
        String messageId = newMessageId();
        try (MDC.MDCCloseable context = MDC.putCloseable(ApiPaths.MESSAGE_ID_MDC_KEY, messageId)) {
            return route(messageId, request, null, watch);
        }
    }

    private RouteResponse route(String messageId, RouteRequest request, @Nullable ReplyListener listener) {
        return route(messageId, request, listener, null);
    }

    private RouteResponse route(
            String messageId, RouteRequest request, @Nullable ReplyListener listener, @Nullable ClientWatch watch) {
        Instant start = this.clock.instant();
        RouteCandidates candidates;
        try {
            candidates = this.resolver.resolve();
        } catch (NoRouteAvailableException ex) {
            finish(
                    new Delivery(messageId, request, null, false, start),
                    null,
                    Outcome.NO_ROUTE,
                    503,
                    0,
                    ex.getMessage());
            throw ex;
        }
        return forward(
                new Delivery(messageId, request, candidates, false, start),
                this.properties.maxAttempts(),
                listener,
                watch);
    }

    /** Sends a message to one node, by id or name; no failover, since the caller chose the node. */
    public RouteResponse routeTo(String node, RouteRequest request) {
        return routeTo(node, request, (ReplyListener) null);
    }

    /**
     * Sends a message to one node, by id or name, and streams its reply to {@code listener} as the node produces it;
     * otherwise as {@link #routeTo(String, RouteRequest)}.
     *
     * @param listener gets the pieces of the reply; {@code null} to wait for the whole answer
     * @throws ClientGoneException when the listener's client went away; the message is logged as failed
     */
    public RouteResponse routeTo(String node, RouteRequest request, @Nullable ReplyListener listener) {
        validate(request);
        String messageId = newMessageId();
        try (MDC.MDCCloseable context = MDC.putCloseable(ApiPaths.MESSAGE_ID_MDC_KEY, messageId)) {
            RouteCandidates candidates = this.resolver.resolveExplicit(node);
            return forward(new Delivery(messageId, request, candidates, true, this.clock.instant()), 1, listener, null);
        }
    }

    /**
     * Sends a message to one node, by id or name, and waits for its whole answer while {@code watch} watches the
     * client; otherwise as {@link #route(RouteRequest, ClientWatch)}.
     */
    public RouteResponse routeTo(String node, RouteRequest request, ClientWatch watch) {
        validate(request);
        String messageId = newMessageId();
        try (MDC.MDCCloseable context = MDC.putCloseable(ApiPaths.MESSAGE_ID_MDC_KEY, messageId)) {
            RouteCandidates candidates = this.resolver.resolveExplicit(node);
            return forward(new Delivery(messageId, request, candidates, true, this.clock.instant()), 1, null, watch);
        }
    }

    private RouteResponse forward(
            Delivery delivery, int maxAttempts, @Nullable ReplyListener listener, @Nullable ClientWatch watch) {
        String messageId = delivery.messageId();
        RouteRequest request = delivery.request();
        RouteCandidates candidates = delivery.candidates();
        AgentMessageRequest message = new AgentMessageRequest(
                messageId,
                request.content(),
                (request.source() != null) ? request.source() : "api",
                request.sessionKey(),
                delivery.start());
        List<Node> remaining = new ArrayList<>(candidates.nodes());
        List<String> failures = new ArrayList<>();
        while (!remaining.isEmpty() && failures.size() < maxAttempts) {
            Node node = this.selector.select(
                    candidates.strategy(), candidates.selectionKey(), remaining, request.sessionKey());
            remaining.remove(node);
            this.inflight.increment(node.id());
            long attemptStart = System.nanoTime();
            try {
                AgentMessageResponse answer = sendWithRetryOnSameNode(node, message, listener, watch);
                attempted(node, messageId, ForwardAttempted.OK, attemptStart);
                MessageRecord record = finish(
                        delivery,
                        node,
                        Outcome.ROUTED,
                        200,
                        failures.size() + 1,
                        failures.isEmpty() ? null : String.join("; ", failures));
                logger.debug(
                        "Message {} answered by {} ({}) in {} ms",
                        messageId,
                        node.name(),
                        node.id(),
                        record.latencyMs());
                return new RouteResponse(messageId, node.id(), node.name(), answer.response());
            } catch (ForwardAttemptException ex) {
                attempted(node, messageId, ex.kind().wireName(), attemptStart);
                failures.add(ex.getMessage());
                if (ex.kind() == Kind.TIMED_OUT || ex.kind() == Kind.REJECTED) {
                    throw finalFailure(delivery, node, ex, failures.size());
                }
                if (ex.kind() == Kind.NOT_ACCEPTED) {
                    this.cooldowns.coolDown(node.id());
                }
                logger.info(
                        "Message {} not taken by {} ({}): {}; {}",
                        messageId,
                        node.name(),
                        node.id(),
                        ex.getMessage(),
                        (remaining.isEmpty() || failures.size() >= maxAttempts)
                                ? "no node left to try"
                                : "failing over");
            } catch (ClientGoneException ex) {
                attempted(node, messageId, ForwardAttempted.OK, attemptStart);
                finish(delivery, node, Outcome.FAILED, CLIENT_CLOSED, failures.size() + 1, ex.getMessage());
                logger.info("Message {} on {} ({}): {}", messageId, node.name(), node.id(), ex.getMessage());
                throw ex;
            } finally {
                this.inflight.decrement(node.id());
            }
        }
        String detail = "message " + messageId + " could not be delivered: " + String.join("; ", failures);
        finish(delivery, null, Outcome.FAILED, 502, failures.size(), detail);
        throw new ForwardingFailedException(messageId, detail);
    }

    /**
     * A connection that broke before the answer leaves open whether the node ran the message. Asking the same node
     * again with the same message id is safe (the id is the runtime's idempotency key); if that node is gone, the
     * second attempt fails to connect and the message moves on to another node.
     */
    private AgentMessageResponse sendWithRetryOnSameNode(
            Node node, AgentMessageRequest message, @Nullable ReplyListener listener, @Nullable ClientWatch watch)
            throws ForwardAttemptException {
        try {
            return send(node, message, listener, watch);
        } catch (ForwardAttemptException ex) {
            if (ex.kind() != Kind.INTERRUPTED) {
                throw ex;
            }
            logger.debug(
                    "Message {}: connection to {} broke ({}); asking it again",
                    message.id(),
                    node.name(),
                    ex.getMessage());
            return send(node, message, listener, watch);
        }
    }

    private AgentMessageResponse send(
            Node node, AgentMessageRequest message, @Nullable ReplyListener listener, @Nullable ClientWatch watch)
            throws ForwardAttemptException {
        if (listener != null) {
            return this.client.stream(node, message, listener);
        }
        if (watch == null) {
            return this.client.send(node, message);
        }
        // A client that leaves gets the run canceled on the node; whatever the node then answers (the abort, or the
        // reply it had finished) is for no one, and is never a reason to try again or elsewhere.
        try (ClientWatch.Watching watching = watch.watch(() -> this.client.cancel(node, message.id()))) {
            AgentMessageResponse answer;
            try {
                answer = this.client.send(node, message);
            } catch (ForwardAttemptException | RuntimeException ex) {
                if (watching.gone()) {
                    throw new ClientGoneException(CANCELED_FOR_CLIENT);
                }
                throw ex;
            }
            if (watching.gone()) {
                throw new ClientGoneException(CANCELED_FOR_CLIENT);
            }
            return answer;
        }
    }

    private RuntimeException finalFailure(Delivery delivery, Node node, ForwardAttemptException ex, int attempts) {
        boolean timedOut = ex.kind() == Kind.TIMED_OUT;
        finish(
                delivery,
                node,
                timedOut ? Outcome.TIMED_OUT : Outcome.FAILED,
                timedOut ? 504 : 502,
                attempts,
                ex.getMessage());
        String messageId = delivery.messageId();
        logger.warn("Message {} failed on {} ({}): {}", messageId, node.name(), node.id(), ex.getMessage());
        String detail = "message " + messageId + ": " + ex.getMessage();
        return timedOut
                ? new ForwardingTimeoutException(messageId, detail)
                : new ForwardingFailedException(messageId, detail);
    }

    /**
     * Keeps how the message ended in the log and tells the listeners (stream, dashboard, metrics).
     *
     * @param node the node that answered or failed for good; {@code null} when no node is to blame
     */
    private MessageRecord finish(
            Delivery delivery, @Nullable Node node, Outcome outcome, int status, int attempts, @Nullable String error) {
        RouteCandidates candidates = delivery.candidates();
        MessageRecord record = new MessageRecord(
                delivery.messageId(),
                (node != null) ? node.id() : null,
                (node != null) ? node.name() : null,
                outcome,
                status,
                (outcome == Outcome.NO_ROUTE) ? 0 : millisSince(delivery.start()),
                attempts,
                (candidates != null && candidates.rule() != null)
                        ? candidates.rule().id()
                        : null,
                delivery.request().source(),
                error,
                delivery.start());
        this.log.record(record);
        this.events.publishEvent(new MessageHandled(
                record,
                (candidates != null) ? candidates.strategy() : null,
                delivery.explicit(),
                delivery.request().content(),
                this.clock.instant()));
        return record;
    }

    private void attempted(Node node, String messageId, String outcome, long startNanos) {
        this.events.publishEvent(new ForwardAttempted(
                node.ref(),
                messageId,
                outcome,
                Duration.ofNanos(System.nanoTime() - startNanos),
                this.clock.instant()));
    }

    private static void validate(RouteRequest request) {
        if (request.content() == null || request.content().isBlank()) {
            throw new InvalidInputException("content is required and must not be blank");
        }
        if (request.content().length() > MAX_CONTENT_CHARS) {
            throw new InvalidInputException("content has " + request.content().length() + " characters; at most "
                    + MAX_CONTENT_CHARS + " are allowed");
        }
        if (request.source() != null && request.source().length() > 200) {
            throw new InvalidInputException("source must be at most 200 characters");
        }
        if (request.sessionKey() != null
                && (request.sessionKey().isEmpty() || request.sessionKey().length() > 256)) {
            throw new InvalidInputException("session_key must be 1-256 characters");
        }
    }

    private long millisSince(Instant start) {
        return Math.max(0, this.clock.millis() - start.toEpochMilli());
    }

    private static String newMessageId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return "msg-" + HexFormat.of().formatHex(bytes);
    }

    /**
     * One message on its way: what every record and event about it shares.
     *
     * @param candidates the nodes it may go to; {@code null} when none was available
     * @param explicit whether the caller named the node
     */
    private record Delivery(
            String messageId,
            RouteRequest request,
            @Nullable RouteCandidates candidates,
            boolean explicit,
            Instant start) {}
}
