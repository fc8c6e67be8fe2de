package io.clawmesh.coordinator.openai;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.coordinator.forwarding.ClientGoneException;
import io.clawmesh.coordinator.forwarding.ClientWatch;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.forwarding.ReplyListener;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a chat completion: resolves its model for the caller's key and hands the message to {@link MessageForwarder}
 * (the path of {@code POST /api/v1/route}), whole or streamed. Shared by {@code ChatCompletionsController} and the
 * front door's fast path ({@link ChatCompletionFilter}), so both answer alike.
 */
@Component
class ChatCompleter {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The {@code source} of every message sent through this API, in the message log. */
    static final String SOURCE = "openai";

    private final MessageForwarder forwarder;

    private final ModelCatalog models;

    private final InflightTracker inflight;

    private final JsonMapper json;

    private final Clock clock;

    private final ClientDepartures departures;

    ChatCompleter(
            MessageForwarder forwarder,
            ModelCatalog models,
            InflightTracker inflight,
            JsonMapper json,
            Clock clock,
            ClientDepartures departures) {
        this.forwarder = forwarder;
        this.departures = departures;
        this.models = models;
        this.inflight = inflight;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs a completion and answers it whole, with the node's answer as one JSON body (the hop of
     * {@code POST /api/v1/route}). While it waits, {@link ClientDepartures} watches the client: a client that closes
     * its connection gets the run canceled on the node by its message id, as a streamed completion's client does by
     * leaving.
     *
     * @param key the caller's client key; {@code null} for the operator
     * @param client the request being served, whose connection is watched
     * @throws ModelNotFoundException when the model does not exist
     * @throws ModelNotAllowedException when {@code key} may not use it
     * @throws ClientGoneException when the client closed its connection before the answer; the run was canceled
     */
    ChatCompletion complete(ChatRequest chat, @Nullable ClientKey key, HttpServletRequest client) {
        MeshModel model = this.models.resolve(chat.model(), key);
        drain(client);
        RouteResponse answer = route(model, request(chat), this.departures.of(client));
        return ChatCompletion.of(newId(), created(), model.id(), chat.content(), answer.response());
    }

    /** Reads what is left of the body (JSON parsers may stop at the end of the value), so the socket can be watched. */
    private static void drain(HttpServletRequest client) {
        try {
            client.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | IllegalStateException ex) {
            // a broken body, or one read as characters: the watch then says nothing more than the servlet API would
        }
    }

    /**
     * Runs a completion and writes it to {@code response} as a stream ({@link ChatStreamWriter}).
     *
     * @throws RuntimeException what failed before a node accepted the message, for the error answer
     */
    void stream(ChatRequest chat, @Nullable ClientKey key, HttpServletResponse response) {
        MeshModel model = this.models.resolve(chat.model(), key);
        RouteRequest request = request(chat);
        new ChatStreamWriter(response, this.json, newId(), created(), model.id())
                .write((listener) -> route(model, request, listener));
    }

    private RouteResponse route(MeshModel model, RouteRequest request, ClientWatch watch) {
        return switch (model.kind()) {
            case AUTO -> this.forwarder.route(request, watch);
            case NODE -> this.forwarder.routeTo(model.name(), request, watch);
            case SKILL -> this.forwarder.routeTo(skilledNode(model.name()).id(), request, watch);
            case GROUP -> throw new ModelNotFoundException(model.id(), "groups do not exist yet");
        };
    }

    private RouteResponse route(MeshModel model, RouteRequest request, ReplyListener listener) {
        return switch (model.kind()) {
            case AUTO -> this.forwarder.route(request, listener);
            case NODE -> this.forwarder.routeTo(model.name(), request, listener);
            case SKILL -> this.forwarder.routeTo(skilledNode(model.name()).id(), request, listener);
            case GROUP -> throw new ModelNotFoundException(model.id(), "groups do not exist yet");
        };
    }

    /** The least busy available node that offers the skill. */
    private Node skilledNode(String skill) {
        return this.models.skilled(skill).stream()
                .min(Comparator.comparingInt((Node node) -> this.inflight.get(node.id())))
                .orElseThrow(() -> new NoRouteAvailableException(
                        "no available node offers the skill " + skill + " right now; try again shortly"));
    }

    private static RouteRequest request(ChatRequest chat) {
        return new RouteRequest(chat.content(), SOURCE, chat.sessionKey());
    }

    private long created() {
        return this.clock.instant().getEpochSecond();
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "chatcmpl-" + HexFormat.of().formatHex(bytes);
    }
}
