package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.DeltaListener;
import io.clawmesh.agent.runtime.GatewayAddress;
import io.clawmesh.agent.runtime.ProbedConnection;
import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import io.clawmesh.agent.runtime.zeroclaw.ZeroClawChatSocket.UpgradeRefusedException;
import io.clawmesh.common.node.RuntimeInfo;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Talks to a ZeroClaw gateway over its HTTP API: one {@code POST /webhook} per message with the mesh message id as
 * {@code X-Idempotency-Key} and the session key as {@code X-Session-Id}; liveness from {@code GET /health}. Without a
 * token of the user's it pairs on loopback by itself (see {@link ZeroClawPairing}). {@link #stream} uses the streaming
 * chat WebSocket ({@link ZeroClawChatSocket}) when an agent alias is configured, which {@code /ws/chat} requires, and
 * falls back to the webhook (one piece) without one, or when ZeroClaw refuses the upgrade.
 */
public class ZeroClawRuntime implements AgentRuntime {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawRuntime.class);

    /** ZeroClaw's request body limit ({@code MAX_BODY_SIZE}). */
    static final int MAX_BODY_BYTES = 65_536;

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final ZeroClawSettings settings;

    private final ZeroClawHttp http;

    private final ZeroClawTokenStore tokens;

    private final ZeroClawPairing pairing;

    private final Clock clock;

    private final HttpClient client;

    private final ProbedConnection connection;

    private final Object tokenLock = new Object();

    private volatile @Nullable String token;

    private volatile boolean tokenKnown;

    private final ZeroClawChatSocket chat;

    /** Set once ZeroClaw answered the {@code /ws/chat} upgrade with 404: an older build without it. */
    private volatile boolean chatSocketMissing;

    public ZeroClawRuntime(ZeroClawSettings settings, HttpClient client, Clock clock) {
        this.settings = settings;
        this.http = new ZeroClawHttp(settings.baseUri(), client);
        this.tokens = new ZeroClawTokenStore(settings.tokenFile());
        this.pairing = new ZeroClawPairing(this.http, this.tokens);
        this.clock = clock;
        this.client = client;
        this.connection = new ProbedConnection(ZeroClawHttp.KIND, this::healthy, Duration.ofSeconds(5), clock);
        this.chat = new ZeroClawChatSocket(settings.baseUri(), client, clock);
        logger.info(
                "Runtime: ZeroClaw at {}{}",
                settings.baseUri(),
                (settings.agent() != null) ? " (agent " + settings.agent() + ")" : "");
    }

    /** Whether {@code GET /health} at {@code base} answers like a ZeroClaw gateway; used to detect one. */
    public static boolean isZeroClaw(java.net.URI base, HttpClient client) {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(base.resolve("/health"))
                            .timeout(PROBE_TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode body = new ZeroClawHttp(base, client).parse(response);
            return body.has("require_pairing") || body.has("paired");
        } catch (java.io.IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public RuntimeInfo info() {
        return new RuntimeInfo(ZeroClawHttp.KIND, null, this.connection.connected());
    }

    /**
     * Streams the turn's {@code chunk}s over {@code /ws/chat} when an agent alias is configured; an abort or the
     * deadline closes that WebSocket, which stops the turn. Without an alias, or when ZeroClaw refuses the upgrade, the
     * message goes over {@code POST /webhook} and the reply comes in one piece.
     */
    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        if (request.abort().aborted()) {
            throw RunAbortedException.of(ZeroClawHttp.KIND, request.abort());
        }
        StreamedReply reply = StreamedReply.to(ZeroClawHttp.KIND, deltas);
        String agent = this.settings.agent();
        if (agent == null || this.chatSocketMissing) {
            return reply.finish(send(request));
        }
        checkSize(request);
        try {
            String text = overChatSocket(request, agent, reply);
            this.connection.update(true);
            return text;
        } catch (ZeroClawHttp.UnreachableException ex) {
            this.connection.update(false);
            throw ex;
        }
    }

    private String overChatSocket(RuntimeRequest request, String agent, StreamedReply reply) {
        String bearer = bearer();
        try {
            return this.chat.turn(request, agent, bearer, reply);
        } catch (UpgradeRefusedException ex) {
            if (ex.status() != 401 || this.settings.token() != null) {
                return overWebhook(request, reply, ex.status());
            }
            logger.info("ZeroClaw at {} refused the /ws/chat upgrade with 401: pairing again", this.http.base());
            try {
                return this.chat.turn(request, agent, repair(), reply);
            } catch (UpgradeRefusedException again) {
                return overWebhook(request, reply, again.status());
            }
        }
    }

    private String overWebhook(RuntimeRequest request, StreamedReply reply, int upgradeStatus) {
        if (upgradeStatus == 404) {
            this.chatSocketMissing = true;
            logger.warn(
                    "ZeroClaw at {} has no /ws/chat (404, an older build); messages go over POST /webhook, in one "
                            + "piece, from now on",
                    this.http.base());
        } else {
            logger.info(
                    "ZeroClaw refused the /ws/chat upgrade for message {} ({}); it goes over POST /webhook",
                    request.messageId(),
                    upgradeStatus);
        }
        if (request.abort().aborted()) {
            throw RunAbortedException.of(ZeroClawHttp.KIND, request.abort());
        }
        return reply.finish(send(request));
    }

    private void checkSize(RuntimeRequest request) {
        byte[] body = this.http.jsonBytes(Map.of("message", request.content()));
        if (body.length > MAX_BODY_BYTES) {
            throw new RuntimeFailureException(
                    ZeroClawHttp.KIND,
                    "message " + request.messageId() + " is " + body.length + " bytes as JSON; ZeroClaw accepts at "
                            + "most 64 KiB per request");
        }
    }

    @Override
    public String send(RuntimeRequest request) {
        checkSize(request);
        byte[] body = this.http.jsonBytes(Map.of("message", request.content()));
        HttpResponse<String> response;
        try {
            String bearer = bearer();
            response = webhook(request, body, bearer);
            if (response.statusCode() == 401 && this.settings.token() == null) {
                // the gateway forgot our pairing (its config was reset) or started requiring one: pair again once;
                // the 401 ran nothing
                logger.info(
                        "ZeroClaw at {} refused {}: pairing again",
                        this.http.base(),
                        (bearer != null) ? "the stored token" : "a request without a token");
                response = webhook(request, body, repair());
            }
        } catch (ZeroClawHttp.UnreachableException ex) {
            this.connection.update(false);
            throw ex;
        }
        this.connection.update(true);
        return reply(request, response);
    }

    private HttpResponse<String> webhook(RuntimeRequest request, byte[] body, @Nullable String bearer) {
        String query = (this.settings.agent() != null)
                ? "?agent=" + URLEncoder.encode(this.settings.agent(), StandardCharsets.UTF_8)
                : "";
        HttpRequest.Builder builder = this.http
                .request("/webhook" + query)
                .header("Content-Type", "application/json")
                .header("X-Idempotency-Key", request.messageId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        if (request.sessionKey() != null && !request.sessionKey().isEmpty()) {
            builder.header("X-Session-Id", sessionId(request.sessionKey()));
        }
        Duration left = Duration.between(this.clock.instant(), request.deadline());
        logger.debug("Message {} sent to ZeroClaw ({} left)", request.messageId(), left);
        return this.http.send(
                builder,
                left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left,
                "message " + request.messageId(),
                request.abort());
    }

    private String reply(RuntimeRequest request, HttpResponse<String> response) {
        JsonNode body = this.http.parse(response);
        String error = ZeroClawHttp.text(body, "error");
        int status = response.statusCode();
        if (status == 200) {
            String text = ZeroClawHttp.text(body, "response");
            if (text != null) {
                return text;
            }
            if ("duplicate".equals(ZeroClawHttp.text(body, "status"))) {
                throw fail("ZeroClaw already ran message " + request.messageId() + " (duplicate X-Idempotency-Key "
                        + "within its idempotency window, 300 s by default) and does not hand out the earlier reply; "
                        + "the message was not run again");
            }
            throw fail("ZeroClaw answered 200 without a 'response' field");
        }
        throw fail(
                switch (status) {
                    case 408 ->
                        "ZeroClaw cut the turn off with its own request timeout (408): gateway.request_timeout_secs "
                                + "is 30 s by default. Raise it in ~/.zeroclaw/config.toml ([gateway] request_timeout_secs = 600) "
                                + "or with ZEROCLAW_gateway__request_timeout_secs=600, and restart ZeroClaw";
                    case 429 ->
                        "ZeroClaw's rate limit was hit (429; gateway.webhook_rate_limit_per_minute, 60 by default): "
                                + "retry in " + body.path("retry_after").asInt(60) + " s or raise the limit";
                    case 503 ->
                        "needs_quickstart".equals(error)
                                ? "ZeroClaw has no model configured yet (503 needs_quickstart): run 'zeroclaw quickstart' on "
                                        + "this machine to set up a provider and model, then send again"
                                : "ZeroClaw is unavailable (503" + ((error != null) ? ": " + error : "") + ")";
                    case 401 ->
                        "ZeroClaw refused the bearer token (401). "
                                + ((this.settings.token() != null)
                                        ? "Check --gateway-token"
                                        : "Pairing again did not help; pair by hand and pass the token with --gateway-token");
                    case 400 ->
                        "ZeroClaw rejected the request (400" + ((error != null) ? ": " + error : "") + ")"
                                + ((this.settings.agent() != null)
                                        ? "; check that agent '" + this.settings.agent() + "' exists"
                                        : "");
                    case 413 -> "ZeroClaw refused the message as too large (413; its limit is 64 KiB)";
                    case 500 -> "ZeroClaw's model call failed (500" + ((error != null) ? ": " + error : "") + ")";
                    default -> "ZeroClaw answered " + status + ((error != null) ? " (" + error + ")" : "");
                });
    }

    private @Nullable String bearer() {
        if (this.settings.token() != null) {
            return this.settings.token();
        }
        if (this.tokenKnown) {
            return this.token;
        }
        synchronized (this.tokenLock) {
            if (!this.tokenKnown) {
                String stored = this.tokens.load().orElse(null);
                this.token = (stored != null) ? stored : pairOrExplain();
                this.tokenKnown = true;
            }
            return this.token;
        }
    }

    private @Nullable String repair() {
        synchronized (this.tokenLock) {
            this.tokens.delete();
            this.token = pairOrExplain();
            this.tokenKnown = true;
            return this.token;
        }
    }

    private @Nullable String pairOrExplain() {
        if (!GatewayAddress.isLoopback(this.http.base())) {
            throw fail("ZeroClaw at " + this.http.base() + " is not on this machine, so the agent cannot pair with it "
                    + "by itself: run 'zeroclaw gateway get-paircode' there, pair (POST /pair with header "
                    + "X-Pairing-Code) and pass the token with --gateway-token");
        }
        return this.pairing.pair();
    }

    private boolean healthy() {
        return isZeroClaw(this.http.base(), this.client);
    }

    /** {@code X-Session-Id} allows 1-128 of {@code [A-Za-z0-9._-]}; other keys map to a stable digest of themselves. */
    static String sessionId(String sessionKey) {
        if (SESSION_ID.matcher(sessionKey).matches()) {
            return sessionKey;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionKey.getBytes(StandardCharsets.UTF_8));
            return "mesh-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static RuntimeFailureException fail(String reason) {
        return new RuntimeFailureException(ZeroClawHttp.KIND, reason);
    }
}
