package io.clawmesh.agent.runtime.openclaw;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where the OpenClaw gateway is and how to talk to it.
 *
 * @param baseUrl the gateway's HTTP base, for example {@code http://127.0.0.1:18789}; the WebSocket is on the same
 *     port
 * @param token the gateway's shared token ({@code gateway.auth.token}), if any
 * @param transport WebSocket with HTTP fallback, WebSocket only, or HTTP only
 * @param timeout how long one message may take (the agent's {@code gateway-timeout})
 * @param source where the address was found, for the log: {@code configuration}, {@code ~/.openclaw/openclaw.json},
 *     {@code default port}
 */
public record OpenClawSettings(
        URI baseUrl, @Nullable String token, Transport transport, Duration timeout, String source) {

    /** The default port of {@code openclaw gateway run}. */
    public static final int DEFAULT_PORT = 18789;

    /** The gateway's WebSocket address: the base URL with {@code ws}/{@code wss}. */
    public URI webSocketUri() {
        String scheme = "https".equals(this.baseUrl.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + this.baseUrl.getRawAuthority() + "/");
    }

    /** {@code http://host:port} (or {@code https://}) from a {@code host:port} or a URL; {@code ws} becomes http. */
    public static URI baseUrl(String endpoint) {
        String value = endpoint.strip();
        if (!value.contains("://")) {
            value = "http://" + value;
        }
        URI uri = URI.create(value);
        String scheme = switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> "http";
            case "https", "wss" -> "https";
            default ->
                throw new IllegalArgumentException(
                        "gateway endpoint must be host:port or an http(s)/ws(s) URL, got " + endpoint);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("gateway endpoint has no host: " + endpoint);
        }
        int port = (uri.getPort() != -1) ? uri.getPort() : DEFAULT_PORT;
        return URI.create(scheme + "://" + uri.getRawAuthority().replaceFirst(":\\d+$", "") + ":" + port);
    }

    @Override
    public String toString() {
        return "OpenClawSettings[baseUrl=" + this.baseUrl + ", token=" + ((this.token != null) ? "<redacted>" : "null")
                + ", transport=" + this.transport + ", timeout=" + this.timeout + ", source=" + this.source + "]";
    }

    /** How the agent talks to the gateway ({@code mesh.agent.gateway-transport}). */
    public enum Transport {
        /** The WebSocket; {@code POST /v1/chat/completions} while the WebSocket cannot be established. */
        AUTO,
        /** The WebSocket only. */
        WEBSOCKET,
        /** {@code POST /v1/chat/completions} only. */
        HTTP;

        /** Parses {@code auto}, {@code websocket} or {@code http}. */
        public static Transport parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "auto", "" -> AUTO;
                case "websocket", "ws" -> WEBSOCKET;
                case "http" -> HTTP;
                default ->
                    throw new IllegalArgumentException(
                            "mesh.agent.gateway-transport must be auto, websocket or http, got '" + value + "'");
            };
        }
    }
}
