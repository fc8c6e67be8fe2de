package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.DeltaListener;
import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import io.clawmesh.agent.runtime.openclaw.GatewayHandshakeException.Failure;
import io.clawmesh.common.node.RuntimeInfo;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenClaw gateway as the agent's runtime: messages go as {@code agent} RPCs over one long-lived WebSocket
 * ({@link AgentRunner}), or as {@code POST /v1/chat/completions} when configured ({@code gateway-transport=http}) or
 * while the WebSocket cannot be established ({@code auto}). The WebSocket opens on {@link #start()} and closes on
 * {@link #stop()} / {@link #close()}; while it is down, {@link #info()} says not connected and the node heartbeats as
 * degraded.
 */
public class OpenClawRuntime implements AgentRuntime, SmartLifecycle, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(OpenClawRuntime.class);

    /** Started before the agent's HTTP server and heartbeat (lower phase), stopped after them. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    private static final String CLIENT_VERSION = "0.1.0";

    private final OpenClawSettings settings;

    private final GatewayLink link;

    private final AgentRunner runner;

    private final ChatCompletionsClient chat;

    OpenClawRuntime(OpenClawSettings settings, OpenClawTimings timings, Clock clock, RandomGenerator random) {
        this(
                settings,
                timings,
                clock,
                random,
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .version(HttpClient.Version.HTTP_1_1)
                        .build());
    }

    OpenClawRuntime(
            OpenClawSettings settings, OpenClawTimings timings, Clock clock, RandomGenerator random, HttpClient http) {
        this.settings = settings;
        JsonMapper json = JsonMapper.builder().build();
        GatewayHandshake handshake = new GatewayHandshake(http, json, clock, CLIENT_VERSION);
        this.link = new GatewayLink(settings, handshake, http, timings, clock, random);
        this.runner = new AgentRunner(this.link, timings, settings.timeout(), clock);
        this.chat = new ChatCompletionsClient(settings, http, json, clock);
    }

    /**
     * A runtime for {@code settings} (from {@link OpenClawDiscovery}) that talks HTTP and WebSocket through the
     * runtimes' shared client; call {@link #start()} to connect.
     */
    public static OpenClawRuntime create(OpenClawSettings settings, HttpClient http) {
        return new OpenClawRuntime(
                settings, OpenClawTimings.defaults(), Clock.systemUTC(), RandomGenerator.getDefault(), http);
    }

    /** Why the last connection attempt failed; {@code null} while connected or before the first attempt. */
    public @Nullable GatewayHandshakeException lastConnectionFailure() {
        return this.link.lastFailure();
    }

    public OpenClawSettings settings() {
        return this.settings;
    }

    @Override
    public RuntimeInfo info() {
        GatewayHello hello = this.link.hello();
        return new RuntimeInfo("openclaw", (hello != null) ? hello.serverVersion() : null, connected());
    }

    private boolean connected() {
        return switch (this.settings.transport()) {
            case WEBSOCKET -> this.link.connected();
            case HTTP -> this.link.healthy();
            case AUTO -> this.link.connected() || httpFallbackUsable();
        };
    }

    @Override
    public String send(RuntimeRequest request) {
        return dispatch(request, StreamedReply.unstreamed(AgentRunner.RUNTIME));
    }

    /**
     * Over the WebSocket, passes the run's {@code assistant} text on as it grows and aborts with {@code chat.abort};
     * over HTTP (configured, or the fallback) the reply comes in one piece, and an abort cancels the HTTP exchange.
     */
    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        return dispatch(request, StreamedReply.to(AgentRunner.RUNTIME, deltas));
    }

    private String dispatch(RuntimeRequest request, StreamedReply reply) {
        return switch (this.settings.transport()) {
            case HTTP -> overHttp(request, reply, false);
            case WEBSOCKET -> this.runner.run(request, reply);
            case AUTO ->
                (!this.link.connected() && httpFallbackUsable())
                        ? overHttp(request, reply, true)
                        : this.runner.run(request, reply);
        };
    }

    private String overHttp(RuntimeRequest request, StreamedReply reply, boolean fallback) {
        if (request.abort().aborted()) {
            throw RunAbortedException.of(AgentRunner.RUNTIME, request.abort());
        }
        return reply.finish(fallback ? overHttp(request) : this.chat.send(request));
    }

    /** The WebSocket cannot be established but the gateway is alive, and HTTP would not fail on the same token. */
    private boolean httpFallbackUsable() {
        GatewayHandshakeException failure = this.link.lastFailure();
        return failure != null && failure.failure() != Failure.TOKEN_REJECTED && this.link.healthy();
    }

    private String overHttp(RuntimeRequest request) {
        logger.info(
                "Message {} goes over POST /v1/chat/completions: the WebSocket cannot be established ({})",
                request.messageId(),
                this.link.whyDisconnected());
        try {
            return this.chat.send(request);
        } catch (RuntimeFailureException ex) {
            throw new RuntimeFailureException(
                    AgentRunner.RUNTIME,
                    "the WebSocket cannot be established (" + this.link.whyDisconnected()
                            + ") and the HTTP fallback failed: " + stripPrefix(ex.getMessage()),
                    ex);
        }
    }

    private static String stripPrefix(@Nullable String message) {
        String prefix = AgentRunner.RUNTIME + " runtime failed: ";
        return (message != null && message.startsWith(prefix)) ? message.substring(prefix.length()) : "" + message;
    }

    @Override
    public void start() {
        logger.info(
                "OpenClaw runtime: gateway {} (from {}), transport {}",
                this.settings.baseUrl(),
                this.settings.source(),
                this.settings.transport().name().toLowerCase(java.util.Locale.ROOT));
        this.link.start();
    }

    @Override
    public void stop() {
        this.link.stop();
    }

    @Override
    public boolean isRunning() {
        return this.link.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void close() {
        stop();
    }
}
