package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.openclaw.GatewayHandshakeException.Failure;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens the gateway WebSocket the way protocols/openclaw.md §3 describes: wait for {@code connect.challenge}, send
 * {@code connect} (protocol 3–4, {@code gateway-client}/{@code backend}, role {@code operator}, explicit scopes, the
 * shared token) and accept only a {@code hello-ok} that grants {@code operator.write}.
 */
final class GatewayHandshake {

    static final String CHALLENGE = "connect.challenge";

    static final String CONNECT_ID = "connect-1";

    static final int MIN_PROTOCOL = 3;

    static final int MAX_PROTOCOL = 4;

    static final List<String> SCOPES = List.of("operator.read", "operator.write", "operator.admin");

    private final HttpClient http;

    private final JsonMapper json;

    private final Clock clock;

    private final String clientVersion;

    GatewayHandshake(HttpClient http, JsonMapper json, Clock clock, String clientVersion) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.clientVersion = clientVersion;
    }

    /**
     * A connection that completed the handshake, with the gateway's {@code hello-ok}.
     *
     * @throws GatewayHandshakeException naming which of the distinct failures happened
     */
    Connected open(OpenClawSettings settings, Duration timeout) throws GatewayHandshakeException, InterruptedException {
        GatewayConnection connection = new GatewayConnection(this.json, this.clock);
        Inbox inbox = new Inbox();
        connection.expect(CHALLENGE, inbox);
        connection.expect(CONNECT_ID, inbox);
        Instant until = this.clock.instant().plus(timeout);
        openSocket(settings, connection, timeout);
        try {
            JsonNode challenge = inbox.next(until, this.clock);
            if (challenge == null || !CHALLENGE.equals(challenge.path("event").asString(""))) {
                throw new GatewayHandshakeException(
                        Failure.NO_CHALLENGE, "the gateway sent no connect.challenge within " + timeout);
            }
            connection.sendText(this.json.writeValueAsString(connectFrame(settings.token())));
            JsonNode answer = inbox.next(until, this.clock);
            if (answer == null) {
                throw new GatewayHandshakeException(Failure.NO_HELLO, "no hello-ok within " + timeout);
            }
            GatewayHello hello = hello(answer, connection, until);
            connection.forgetRequest(CHALLENGE);
            connection.forgetRequest(CONNECT_ID);
            return new Connected(connection, hello);
        } catch (GatewayConnectionLostException ex) {
            throw closedDuringHandshake(connection, ex.getMessage(), null);
        } catch (GatewayHandshakeException | InterruptedException | RuntimeException ex) {
            connection.abort("handshake failed");
            throw ex;
        }
    }

    private void openSocket(OpenClawSettings settings, GatewayConnection connection, Duration timeout)
            throws GatewayHandshakeException, InterruptedException {
        try {
            this.http
                    .newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(settings.webSocketUri(), connection)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            if (cause instanceof WebSocketHandshakeException handshake) {
                throw new GatewayHandshakeException(
                        Failure.NOT_WEBSOCKET,
                        settings.webSocketUri() + " refused the WebSocket upgrade (HTTP "
                                + handshake.getResponse().statusCode() + "); is this an OpenClaw gateway?",
                        cause);
            }
            String what = (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException)
                    ? "nothing accepts connections"
                    : cause.toString();
            throw new GatewayHandshakeException(
                    Failure.UNREACHABLE, "cannot reach " + settings.webSocketUri() + ": " + what, cause);
        } catch (TimeoutException ex) {
            throw new GatewayHandshakeException(
                    Failure.UNREACHABLE, "no WebSocket to " + settings.webSocketUri() + " within " + timeout, ex);
        }
    }

    private ObjectNode connectFrame(@Nullable String token) {
        ObjectNode params = this.json.createObjectNode();
        params.put("minProtocol", MIN_PROTOCOL).put("maxProtocol", MAX_PROTOCOL);
        params.putObject("client")
                .put("id", "gateway-client")
                .put("version", this.clientVersion)
                .put("platform", System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT))
                .put("mode", "backend");
        params.put("role", "operator");
        SCOPES.forEach(params.putArray("scopes")::add);
        if (token != null) {
            params.putObject("auth").put("token", token);
        }
        ObjectNode frame = this.json.createObjectNode();
        frame.put("type", "req").put("id", CONNECT_ID).put("method", "connect").set("params", params);
        return frame;
    }

    private GatewayHello hello(JsonNode answer, GatewayConnection connection, Instant until)
            throws GatewayHandshakeException, InterruptedException {
        JsonNode payload = answer.path("payload");
        if (!answer.path("ok").asBoolean(false)) {
            // the gateway answers the error, then closes with 1008 or 1002: wait for the code to tell them apart
            try {
                connection.closed().get(2, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ex) {
                // no close frame: the error alone has to tell
            }
            throw closedDuringHandshake(connection, "connect refused", answer.path("error"));
        }
        if (!"hello-ok".equals(payload.path("type").asString(""))) {
            throw new GatewayHandshakeException(
                    Failure.NO_HELLO,
                    "the gateway answered connect without hello-ok (type '"
                            + payload.path("type").asString("") + "')");
        }
        List<String> scopes = new ArrayList<>();
        payload.path("auth").path("scopes").forEach((scope) -> scopes.add(scope.asString("")));
        if (!scopes.contains("operator.write")) {
            throw new GatewayHandshakeException(
                    Failure.SCOPES_MISSING,
                    "hello-ok granted scopes " + scopes + " without operator.write, so agents cannot be run");
        }
        long tickMillis = payload.path("policy").path("tickIntervalMs").asLong(30_000);
        return new GatewayHello(
                payload.path("server").path("version").asString("unknown"),
                payload.path("protocol").asInt(MAX_PROTOCOL),
                Duration.ofMillis(Math.max(tickMillis, 1)),
                List.copyOf(scopes));
    }

    private GatewayHandshakeException closedDuringHandshake(
            GatewayConnection connection, String what, @Nullable JsonNode error) {
        connection.abort("handshake failed");
        int code = connection.closeCode();
        String detail = (error != null) ? error.path("details").path("code").asString("") : "";
        String message = (error != null) ? error.path("message").asString("") : "";
        String said = what + (message.isEmpty() ? "" : ": " + message) + " (close code " + code + ")";
        if (code == 1002 || "PROTOCOL_MISMATCH".equals(detail)) {
            return new GatewayHandshakeException(
                    Failure.PROTOCOL_MISMATCH,
                    "protocol mismatch: the gateway speaks none of protocol versions " + MIN_PROTOCOL + "-"
                            + MAX_PROTOCOL + "; " + said);
        }
        if ("NOT_PAIRED".equals(error != null ? error.path("code").asString("") : "")
                || "DEVICE_IDENTITY_REQUIRED".equals(detail)) {
            return new GatewayHandshakeException(
                    Failure.PAIRING_REQUIRED,
                    "the gateway wants a device identity: set mesh.agent.gateway-token (a remote gateway also needs "
                            + "device pairing); " + said);
        }
        if (detail.startsWith("AUTH_") || (code == 1008 && detail.isEmpty())) {
            return new GatewayHandshakeException(
                    Failure.TOKEN_REJECTED,
                    "the gateway rejected the token: check mesh.agent.gateway-token against gateway.auth.token; "
                            + said);
        }
        return new GatewayHandshakeException(Failure.REJECTED, "the gateway refused the connection: " + said);
    }

    /** A connection after {@code hello-ok}. */
    record Connected(GatewayConnection connection, GatewayHello hello) {}
}
