package io.clawmesh.agent.runtime.openai;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * How to reach an OpenAI-compatible endpoint.
 *
 * @param baseUri the API base, for example {@code http://127.0.0.1:8000/v1}; {@code /chat/completions} is appended
 * @param apiKey sent as {@code Authorization: Bearer}, if any
 * @param model the model every request names
 */
public record OpenAiSettings(URI baseUri, @Nullable String apiKey, String model) {

    /** Settings from {@code --api-base}, {@code --api-key} and {@code --api-model}, with the reason when one is off. */
    public static OpenAiSettings of(@Nullable String apiBase, @Nullable String apiKey, @Nullable String model) {
        if (apiBase == null || apiBase.isBlank()) {
            throw new IllegalStateException("the OpenAI-compatible runtime needs --api-base (mesh.agent.api-base), "
                    + "the API's base URL such as http://127.0.0.1:8000/v1");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalStateException("the OpenAI-compatible runtime needs --api-model (mesh.agent.api-model), "
                    + "the model every request names");
        }
        String base = apiBase.strip().replaceAll("/+$", "").replaceAll("/chat/completions$", "");
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("mesh.agent.api-base '" + apiBase + "' is not a URL", ex);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalStateException(
                    "mesh.agent.api-base '" + apiBase + "' must be an http(s) URL such as http://127.0.0.1:8000/v1");
        }
        return new OpenAiSettings(uri, (apiKey == null || apiKey.isBlank()) ? null : apiKey.strip(), model.strip());
    }
}
