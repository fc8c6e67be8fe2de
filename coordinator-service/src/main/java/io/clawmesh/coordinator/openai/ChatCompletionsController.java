package io.clawmesh.coordinator.openai;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.forwarding.ReplyListener;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.registry.InflightTracker;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.routing.NoRouteAvailableException;
import io.clawmesh.coordinator.security.MeshAuthentication;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions} and {@code GET /v1/models}. A completion is a routed
 * message ({@link MessageForwarder}, the path of {@code POST /api/v1/route}), not a task: the same rules, failover,
 * message log and events, and no database write on the way. Streamed, the node's deltas are relayed as they come.
 */
@RestController
class ChatCompletionsController {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The {@code source} of every message sent through this API, in the message log. */
    static final String SOURCE = "openai";

    private final MessageForwarder forwarder;

    private final ModelCatalog models;

    private final InflightTracker inflight;

    private final JsonMapper json;

    private final Clock clock;

    ChatCompletionsController(
            MessageForwarder forwarder, ModelCatalog models, InflightTracker inflight, JsonMapper json, Clock clock) {
        this.forwarder = forwarder;
        this.models = models;
        this.inflight = inflight;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(ApiPaths.MODELS)
    Map<String, Object> models(@Nullable Principal principal) {
        List<Map<String, Object>> data = this.models.list(clientKey(principal)).stream()
                .map(ChatCompletionsController::model)
                .toList();
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        return list;
    }

    @PostMapping(path = ApiPaths.CHAT_COMPLETIONS, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Nullable
    ResponseEntity<ChatCompletion> complete(
            @RequestBody JsonNode body,
            @RequestHeader(name = ApiPaths.SESSION_KEY_HEADER, required = false) @Nullable String sessionHeader,
            @Nullable Principal principal,
            HttpServletResponse response) {
        ChatRequest chat = ChatRequest.of(body, sessionHeader);
        MeshModel model = this.models.resolve(chat.model(), clientKey(principal));
        RouteRequest request = new RouteRequest(chat.content(), SOURCE, chat.sessionKey());
        String id = "chatcmpl-" + HexFormat.of().formatHex(randomBytes());
        long created = this.clock.instant().getEpochSecond();
        if (chat.stream()) {
            new ChatStreamWriter(response, this.json, id, created, model.id())
                    .write((listener) -> route(model, request, listener));
            return null;
        }
        RouteResponse answer = route(model, request, null);
        return ResponseEntity.ok(ChatCompletion.of(id, created, model.id(), chat.content(), answer.response()));
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

    private static @Nullable ClientKey clientKey(@Nullable Principal principal) {
        return (principal instanceof MeshAuthentication authentication) ? authentication.clientKey() : null;
    }

    private static Map<String, Object> model(String id) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", "claw-mesh");
        return model;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
