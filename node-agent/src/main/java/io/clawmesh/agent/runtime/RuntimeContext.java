package io.clawmesh.agent.runtime;

import io.clawmesh.agent.AgentProperties;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a runtime needs to be built: the agent's settings, its data dir (pairing tokens live there), one HTTP client for
 * the runtimes reached over HTTP, and the clock. The HTTP client is built on first use, so an agent that ends up in
 * echo mode never loads {@code java.net.http} and the TLS classes it brings (about 10 MiB of resident memory).
 */
public record RuntimeContext(AgentProperties properties, Path dataDir, Supplier<HttpClient> httpClient, Clock clock) {

    public RuntimeContext(AgentProperties properties, Path dataDir, HttpClient http, Clock clock) {
        this(properties, dataDir, () -> http, clock);
    }

    /** The shared HTTP client of the runtimes, built now if nothing asked for it before. */
    public HttpClient http() {
        return this.httpClient.get();
    }

    /** The same context with the runtime's address and token replaced, for a runtime the agent installed itself. */
    public RuntimeContext withGateway(String endpoint, @Nullable String token) {
        AgentProperties p = this.properties;
        AgentProperties gateway = new AgentProperties(
                p.coordinatorUrl(),
                p.name(),
                p.tags(),
                p.endpoint(),
                p.listen(),
                p.token(),
                p.dataDir(),
                p.capacity(),
                p.heartbeatInterval(),
                p.registerBackoffInitial(),
                p.registerBackoffMax(),
                p.shutdownGrace(),
                p.noGateway(),
                p.capabilitiesRefresh(),
                p.gatewayTimeout(),
                p.runtime(),
                endpoint,
                token,
                p.gatewayTransport(),
                p.autoInstall(),
                p.noSyncConfig(),
                p.apiKey(),
                p.apiBase(),
                p.apiModel(),
                p.apiProvider(),
                p.zeroclawAgent(),
                p.taskRetention());
        return new RuntimeContext(gateway, this.dataDir, this.httpClient, this.clock);
    }
}
