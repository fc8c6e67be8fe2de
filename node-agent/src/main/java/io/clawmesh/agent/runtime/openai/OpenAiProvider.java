package io.clawmesh.agent.runtime.openai;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeProvider;
import java.util.Optional;

/**
 * Builds the OpenAI-compatible runtime from {@code --api-base}, {@code --api-key} and {@code --api-model}. It is never
 * detected: an API endpoint is always named by the user.
 */
public class OpenAiProvider implements RuntimeProvider {

    @Override
    public String kind() {
        return OpenAiRuntime.KIND;
    }

    @Override
    public AgentRuntime create(RuntimeContext context) {
        AgentProperties properties = context.properties();
        OpenAiSettings settings = OpenAiSettings.of(properties.apiBase(), properties.apiKey(), properties.apiModel());
        return new OpenAiRuntime(settings, context.http(), context.clock());
    }

    @Override
    public Optional<AgentRuntime> detect(RuntimeContext context) {
        return Optional.empty();
    }
}
