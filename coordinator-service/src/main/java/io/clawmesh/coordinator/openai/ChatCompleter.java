package io.clawmesh.coordinator.openai;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.forwarding.ReplyListener;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import jakarta.servlet.http.HttpServletResponse;
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

    ChatCompleter(
            MessageForwarder forwarder, ModelCatalog models, InflightTracker inflight, JsonMapper json, Clock clock) {
        this.forwarder = forwarder;
        this.models = models;
        this.inflight = inflight;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs a completion and answers it whole.
     *
     * @param key the caller's client key; {@code null} for the operator
     * @throws ModelNotFoundException when the model does not exist
     * @throws ModelNotAllowedException when {@code key} may not use it
     */
    ChatCompletion complete(ChatRequest chat, @Nullable ClientKey key) {
        MeshModel model = this.models.resolve(chat.model(), key);
        RouteResponse answer = route(model, request(chat), null);
        return ChatCompletion.of(newId(), created(), model.id(), chat.content(), answer.response());
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

    private RouteResponse route(MeshModel model, RouteRequest request, @Nullable ReplyListener listener) {
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
