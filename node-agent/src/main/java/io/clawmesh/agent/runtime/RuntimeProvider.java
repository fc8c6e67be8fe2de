package io.clawmesh.agent.runtime;

import java.util.Optional;
import java.util.function.Function;

/**
 * One kind of runtime the agent can select: how to build it when it is asked for ({@code --runtime}, a gateway
 * endpoint, an installed runtime) and how to find one on this machine when nothing is asked for.
 */
public interface RuntimeProvider {

    /** {@code openclaw}, {@code zeroclaw} or {@code openai}. */
    String kind();

    /** Builds the runtime from the settings; a runtime that is not up yet reports itself disconnected. */
    AgentRuntime create(RuntimeContext context);

    /** The runtime when one is found on this machine (config files, default ports, health endpoints). */
    Optional<AgentRuntime> detect(RuntimeContext context);

    /** A provider from two functions. */
    static RuntimeProvider of(
            String kind,
            Function<RuntimeContext, AgentRuntime> create,
            Function<RuntimeContext, Optional<AgentRuntime>> detect) {
        return new RuntimeProvider() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public AgentRuntime create(RuntimeContext context) {
                return create.apply(context);
            }

            @Override
            public Optional<AgentRuntime> detect(RuntimeContext context) {
                return detect.apply(context);
            }
        };
    }

    /** A runtime this build cannot talk to: asking for it is an error, detecting it finds nothing. */
    static RuntimeProvider unavailable(String kind, String reason) {
        return of(
                kind,
                (context) -> {
                    throw new IllegalStateException("mesh.agent.runtime=" + kind + " cannot be used: " + reason);
                },
                (context) -> Optional.empty());
    }
}
