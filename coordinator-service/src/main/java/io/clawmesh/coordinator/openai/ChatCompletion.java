package io.clawmesh.coordinator.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** OpenAI's {@code chat.completion} object and its streamed {@code chat.completion.chunk}, as the mesh answers them. */
record ChatCompletion(
        String id,
        String object,
        long created,
        String model,
        List<Choice> choices,
        @Nullable Usage usage) {

    /** One choice of a whole answer. */
    record Choice(
            int index,
            Message message,
            @JsonProperty("finish_reason") String finishReason) {}

    /** The assistant's message. */
    record Message(String role, String content) {}

    /**
     * Token counts. claw-mesh does not see the runtime's tokens: these are estimates of about four characters a token.
     */
    record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {

        static Usage estimate(String prompt, String completion) {
            int in = tokens(prompt);
            int out = tokens(completion);
            return new Usage(in, out, in + out);
        }

        private static int tokens(String text) {
            return (text.length() + 3) / 4;
        }
    }

    /** One piece of a streamed answer. */
    record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices) {}

    /** The choice of a chunk: a delta, and the finish reason on the last one. */
    record ChunkChoice(
            int index,
            Delta delta,
            @JsonProperty("finish_reason") @Nullable String finishReason) {}

    /** What a chunk adds: the role on the first, content on the others, nothing on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(@Nullable String role, @Nullable String content) {}

    /** A whole answer. */
    static ChatCompletion of(String id, long created, String model, String prompt, String response) {
        return new ChatCompletion(
                id,
                "chat.completion",
                created,
                model,
                List.of(new Choice(0, new Message("assistant", response), "stop")),
                Usage.estimate(prompt, response));
    }

    /** A chunk of a streamed answer. */
    static Chunk chunk(String id, long created, String model, Delta delta, @Nullable String finishReason) {
        return new Chunk(id, "chat.completion.chunk", created, model, List.of(new ChunkChoice(0, delta, finishReason)));
    }
}
