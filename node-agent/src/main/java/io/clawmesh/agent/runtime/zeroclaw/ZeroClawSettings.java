package io.clawmesh.agent.runtime.zeroclaw;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one ZeroClaw gateway.
 *
 * @param baseUri the gateway, for example {@code http://127.0.0.1:42617}
 * @param token a bearer token given by the user ({@code --gateway-token}); when absent the agent pairs on loopback
 * @param agent the ZeroClaw agent alias sent as {@code ?agent=}; absent means ZeroClaw's default agent
 * @param tokenFile where a token won by pairing is kept (mode 0600)
 */
public record ZeroClawSettings(
        URI baseUri, @Nullable String token, @Nullable String agent, Path tokenFile) {

    /** ZeroClaw's default gateway port since 2026-02. */
    public static final int DEFAULT_PORT = 42617;

    /** The name of the token file inside the agent's data dir. */
    public static final String TOKEN_FILE = "zeroclaw-token";
}
