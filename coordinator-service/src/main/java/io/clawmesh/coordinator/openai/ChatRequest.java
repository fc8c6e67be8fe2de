package io.clawmesh.coordinator.openai;

import io.clawmesh.common.node.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What claw-mesh takes from an OpenAI chat completion request: the model (where to run), the last {@code user}
 * message (the content), the session key (the {@code user} field, else the {@code X-Session-Key} header) and whether
 * to stream. Every other field (temperature, tools, …) is accepted and ignored: the runtime on the node decides.
 */
record ChatRequest(String model, String content, @Nullable String sessionKey, boolean stream) {

    /**
     * Reads a request body.
     *
     * @param sessionHeader the {@code X-Session-Key} header, used when the body has no {@code user}
     * @throws InvalidInputException naming the field that is missing or has the wrong type
     */
    static ChatRequest of(JsonNode body, @Nullable String sessionHeader) {
        if (!body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object with model and messages");
        }
        String model = requireString(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidInputException("messages must be a non-empty array of {role, content}");
        }
        String content = null;
        for (int i = messages.size() - 1; i >= 0 && content == null; i--) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new InvalidInputException("messages[" + i + "] must be an object {role, content}");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isString()) {
                throw new InvalidInputException("messages[" + i + "].role must be a string");
            }
            if ("user".equals(role.stringValue())) {
                content = text(message.get("content"), i);
            }
        }
        if (content == null || content.isBlank()) {
            throw new InvalidInputException("messages must hold a user message with text content");
        }
        String user = optionalString(body, "user");
        boolean stream = false;
        JsonNode streamNode = body.get("stream");
        if (streamNode != null && !streamNode.isNull()) {
            if (!streamNode.isBoolean()) {
                throw new InvalidInputException("stream must be true or false");
            }
            stream = streamNode.booleanValue();
        }
        String sessionKey = (user != null && !user.isEmpty()) ? user : sessionHeader;
        return new ChatRequest(model, content, sessionKey, stream);
    }

    /** A message's content: a string, or an array of parts whose {@code text} parts are joined. */
    private static String text(@Nullable JsonNode content, int index) {
        if (content == null || content.isNull()) {
            throw new InvalidInputException("messages[" + index + "].content is required");
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray()) {
            throw new InvalidInputException(
                    "messages[" + index + "].content must be a string or an array of {type: text, text} parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content.values()) {
            JsonNode type = part.get("type");
            if (type == null || !type.isString()) {
                throw new InvalidInputException("messages[" + index + "].content parts need a string type");
            }
            if ("text".equals(type.stringValue())) {
                JsonNode value = part.get("text");
                if (value == null || !value.isString()) {
                    throw new InvalidInputException("messages[" + index + "].content text parts need a string text");
                }
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(value.stringValue());
            }
        }
        return text.toString();
    }

    private static String requireString(JsonNode body, String field) {
        String value = optionalString(body, field);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " is required: mesh/auto, mesh/node/NAME, mesh/skill/NAME"
                    + " (GET /v1/models lists them)");
        }
        return value;
    }

    private static @Nullable String optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidInputException(field + " must be a string");
        }
        return value.stringValue();
    }
}
