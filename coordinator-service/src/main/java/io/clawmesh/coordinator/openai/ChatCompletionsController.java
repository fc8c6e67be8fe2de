package io.clawmesh.coordinator.openai;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.coordinator.forwarding.ClientGoneException;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.security.MeshAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
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

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions} and {@code GET /v1/models}. A completion is a routed
 * message ({@link ChatCompleter}, on the path of {@code POST /api/v1/route}), not a task: the same rules, failover,
 * message log and events, and no database write on the way. Streamed, the node's deltas are relayed as they come. A
 * plain completion of the operator or a client key usually does not get here: {@link ChatCompletionFilter} serves it
 * ahead of the security chain, with the same answers.
 */
@RestController
class ChatCompletionsController {

    private final ChatCompleter completer;

    private final ModelCatalog models;

    ChatCompletionsController(ChatCompleter completer, ModelCatalog models) {
        this.completer = completer;
        this.models = models;
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
            HttpServletRequest request,
            HttpServletResponse response) {
        ChatRequest chat = ChatRequest.of(body, sessionHeader);
        if (chat.stream()) {
            this.completer.stream(chat, clientKey(principal), response);
            return null;
        }
        try {
            return ResponseEntity.ok(this.completer.complete(chat, clientKey(principal), request));
        } catch (ClientGoneException ex) {
            return null; // logged by the forwarder; the node's stream is closed, so the run is aborted
        }
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
}
