package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.runtime.RuntimeFailureException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Zero-touch pairing with a ZeroClaw gateway on this machine: reads the one-time code from the loopback-only
 * {@code GET /admin/paircode} (rotating it with {@code POST /admin/paircode/new} when none is shown), trades it for a
 * bearer token with {@code POST /pair}, and keeps the token in the agent's data dir.
 */
class ZeroClawPairing {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawPairing.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ZeroClawHttp http;

    private final ZeroClawTokenStore tokens;

    ZeroClawPairing(ZeroClawHttp http, ZeroClawTokenStore tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /** Pairs and stores the token; {@code null} when the gateway does not require pairing. */
    @Nullable
    String pair() {
        String code = pairingCode();
        if (code == null) {
            logger.info("ZeroClaw at {} does not require pairing: sending requests without a token", this.http.base());
            return null;
        }
        HttpResponse<String> response = this.http.send(
                this.http.request("/pair").header("X-Pairing-Code", code).POST(HttpRequest.BodyPublishers.noBody()),
                TIMEOUT,
                "POST /pair");
        JsonNode body = this.http.parse(response);
        String token = ZeroClawHttp.text(body, "token");
        if (response.statusCode() == 200 && token != null) {
            this.tokens.save(token);
            logger.info(
                    "Paired with ZeroClaw at {}; its token is kept in {} (mode 0600)",
                    this.http.base(),
                    this.tokens.file());
            return token;
        }
        throw new RuntimeFailureException(ZeroClawHttp.KIND, pairingRefused(response.statusCode(), body));
    }

    private @Nullable String pairingCode() {
        JsonNode body = readCode(this.http.request("/admin/paircode").GET(), "GET /admin/paircode");
        if (body.path("pairing_required").isBoolean()
                && !body.path("pairing_required").asBoolean()) {
            return null;
        }
        String code = code(body);
        if (code == null) {
            // the code is shown only until the first pairing; a new one has to be issued
            code = code(readCode(
                    this.http.request("/admin/paircode/new").POST(HttpRequest.BodyPublishers.noBody()),
                    "POST /admin/paircode/new"));
        }
        if (code == null) {
            throw new RuntimeFailureException(
                    ZeroClawHttp.KIND,
                    "ZeroClaw at " + this.http.base() + " showed no pairing code. Run 'zeroclaw gateway get-paircode', "
                            + "pair by hand (POST /pair with header X-Pairing-Code) and pass the token with "
                            + "--gateway-token");
        }
        return code;
    }

    private JsonNode readCode(HttpRequest.Builder request, String what) {
        HttpResponse<String> response = this.http.send(request, TIMEOUT, what);
        if (response.statusCode() != 200) {
            throw new RuntimeFailureException(
                    ZeroClawHttp.KIND,
                    "cannot read ZeroClaw's pairing code: " + what + " answered " + response.statusCode()
                            + " (it is allowed from loopback only). Run 'zeroclaw gateway get-paircode' on the "
                            + "gateway's machine, pair by hand and pass the token with --gateway-token");
        }
        return this.http.parse(response);
    }

    private static @Nullable String code(JsonNode body) {
        String code = ZeroClawHttp.text(body, "pairing_code");
        if (code == null) {
            code = ZeroClawHttp.text(body, "code");
        }
        return (code != null && !code.isBlank()) ? code.strip() : null;
    }

    private String pairingRefused(int status, JsonNode body) {
        String error = ZeroClawHttp.text(body, "error");
        return switch (status) {
            case 403 ->
                "ZeroClaw at " + this.http.base() + " refused the pairing code (403"
                        + ((error != null) ? ": " + error : "") + ")";
            case 429 ->
                "ZeroClaw at " + this.http.base() + " locks pairing after 5 bad codes: try again in "
                        + body.path("retry_after").asInt(300) + " s, or pass a token with --gateway-token";
            case 500 ->
                "ZeroClaw at " + this.http.base() + " could not persist the pairing token (500"
                        + ((error != null) ? ": " + error : "") + "); check that ~/.zeroclaw/config.toml is writable";
            default ->
                "pairing with ZeroClaw at " + this.http.base() + " failed: POST /pair answered " + status
                        + ((error != null) ? " (" + error + ")" : "");
        };
    }
}
