package io.clawmesh.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the node agent ({@code mesh.agent.*}). Values without a default here (name, endpoint, data dir) are
 * derived at start: see {@link io.clawmesh.agent.registration.LocalNode}.
 *
 * @param coordinatorUrl base URL of the coordinator, for example {@code http://127.0.0.1:9180}; required. Several
 *     replicas on one database: their URLs separated by commas; calls move to the next when one does not answer
 * @param name node name; defaults to the host name, sanitised to the name rules
 * @param tags labels routing rules can ask for
 * @param endpoint advertised {@code host:port}; defaults to the first site-local IPv4 address plus the listen port
 * @param listen {@code [host]:port} to listen on (mapped onto {@code server.address} and {@code server.port})
 * @param token join token, used only to register (also read from {@code CLAW_MESH_TOKEN})
 * @param dataDir where the node identity is kept; defaults to {@code ~/.claw-mesh/agent-<name>}
 * @param capacity how many messages may run at once
 * @param heartbeatInterval time between heartbeats
 * @param registerBackoffInitial first delay after a failed registration
 * @param registerBackoffMax the longest delay between registration attempts
 * @param shutdownGrace how long in-flight messages may finish on shutdown
 * @param noGateway run in echo mode even when a runtime is available
 * @param capabilitiesRefresh how often capabilities are detected again
 * @param gatewayTimeout how long the runtime may take for one message (the deadline handed to it)
 * @param runtime force one runtime: {@code openclaw}, {@code zeroclaw} or {@code openai}; unset means detect
 * @param gatewayEndpoint the runtime's address, {@code host:port} or a URL; unset means discover
 * @param gatewayToken the runtime's shared token (OpenClaw gateway token, ZeroClaw bearer token)
 * @param gatewayTransport how to talk to OpenClaw: {@code auto} (WebSocket, HTTP fallback), {@code websocket} or
 *     {@code http}
 * @param autoInstall install and start a runtime the machine can carry when none is found
 * @param noSyncConfig skip the seed sync of the coordinator's OpenClaw config and workspace files on join
 * @param apiKey API key of an OpenAI-compatible endpoint (and onboarding of an installed runtime)
 * @param apiBase base URL of an OpenAI-compatible endpoint, for example {@code http://127.0.0.1:8000/v1}
 * @param apiModel model name sent to an OpenAI-compatible endpoint
 * @param apiProvider provider name used when onboarding an installed runtime
 * @param zeroclawAgent ZeroClaw agent name sent as {@code ?agent=}, if any
 * @param taskRetention how long the agent keeps an ended task's state and text by task id, so a coordinator that
 *     restarted can still re-attach or collect the result
 */
@ConfigurationProperties("mesh.agent")
public record AgentProperties(
        @Nullable String coordinatorUrl,
        @Nullable String name,
        @DefaultValue List<String> tags,
        @Nullable String endpoint,
        @Nullable String listen,
        @Nullable String token,
        @Nullable Path dataDir,
        @DefaultValue("4") int capacity,
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("1s") Duration registerBackoffInitial,
        @DefaultValue("60s") Duration registerBackoffMax,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("false") boolean noGateway,
        @DefaultValue("60s") Duration capabilitiesRefresh,
        @DefaultValue("5m") Duration gatewayTimeout,
        @Nullable String runtime,
        @Nullable String gatewayEndpoint,
        @Nullable String gatewayToken,
        @DefaultValue("auto") String gatewayTransport,
        @DefaultValue("false") boolean autoInstall,
        @DefaultValue("false") boolean noSyncConfig,
        @Nullable String apiKey,
        @Nullable String apiBase,
        @Nullable String apiModel,
        @Nullable String apiProvider,
        @Nullable String zeroclawAgent,
        @DefaultValue("1h") Duration taskRetention) {

    @Override
    public String toString() {
        return "AgentProperties[coordinatorUrl=" + this.coordinatorUrl + ", name=" + this.name + ", token="
                + ((this.token != null) ? "<redacted>" : "null") + ", runtime=" + this.runtime + ", gatewayEndpoint="
                + this.gatewayEndpoint + ", gatewayToken=" + ((this.gatewayToken != null) ? "<redacted>" : "null")
                + ", apiKey=" + ((this.apiKey != null) ? "<redacted>" : "null") + "]";
    }
}
