package io.clawmesh.cli.client;

import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.Causes;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns HTTP failures into the one line a user needs and the exit code of SPEC §11: unreachable names the URL and the
 * likely fix (exit 3), 401/403 say which token was wrong (exit 3), any other answer shows the problem's
 * {@code detail} (exit 1).
 */
public final class MeshErrors {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> PROXY_VARIABLES =
            List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY");

    private MeshErrors() {}

    /** The coordinator did not answer at all. */
    public static CliException unreachable(ConnectionSettings settings, Exception ex) {
        String url = settings.coordinator().toString();
        String message;
        if (Causes.has(ex, HttpConnectTimeoutException.class)) {
            message = "cannot reach the coordinator at " + url + " (no connection within "
                    + MeshClient.CONNECT_TIMEOUT.toSeconds() + "s): a firewall, a wrong address, or a proxy in between";
        } else if (Causes.has(ex, ConnectException.class) || Causes.has(ex, NoRouteToHostException.class)) {
            message = "cannot reach the coordinator at " + url + " (connection refused): is it running (claw-mesh up)"
                    + " and on this port? Point --coordinator or CLAW_MESH_COORDINATOR at the right host:port";
        } else if (Causes.has(ex, UnknownHostException.class)) {
            message = "cannot reach the coordinator at " + url + " (unknown host "
                    + settings.coordinator().getHost() + "): check the host name in --coordinator";
        } else if (Causes.has(ex, HttpTimeoutException.class) || Causes.has(ex, SocketTimeoutException.class)) {
            return new CliException(
                    ExitCode.REFUSED,
                    "the coordinator at " + url
                            + " accepted the request but did not answer in time; it may still be working on it");
        } else {
            message = "cannot reach the coordinator at " + url + " (" + Causes.rootMessage(ex) + ")";
        }
        return new CliException(ExitCode.UNREACHABLE, message + proxyHint());
    }

    /** The coordinator answered with an error status. */
    public static CliException refused(ConnectionSettings settings, RestClientResponseException ex) {
        return refused(settings, ex.getStatusCode(), ex.getResponseBodyAsString());
    }

    /** The coordinator answered with an error status and this body. */
    public static CliException refused(ConnectionSettings settings, HttpStatusCode status, @Nullable String body) {
        String detail = detail(body);
        String url = settings.coordinator().toString();
        if (status.value() == 401) {
            if (settings.token() == null) {
                return new CliException(
                        ExitCode.UNREACHABLE,
                        "the coordinator at " + url
                                + " needs the operator token: pass --token, set CLAW_MESH_TOKEN or coordinator.token in"
                                + " claw-mesh.yaml (claw-mesh up keeps it in "
                                + settings.dataDir().resolve("operator-token")
                                + " on its machine)");
            }
            return new CliException(
                    ExitCode.UNREACHABLE,
                    "the coordinator at " + url
                            + " refused the operator token from " + settings.tokenSource()
                            + " (401): pass the right one with --token or CLAW_MESH_TOKEN");
        }
        if (status.value() == 403) {
            return new CliException(
                    ExitCode.UNREACHABLE,
                    "the token from " + settings.tokenSource() + " is not the operator token (403): "
                            + ((detail != null) ? detail : "it may not do this"));
        }
        String reason = (detail != null) ? detail : status.toString();
        return new CliException(ExitCode.REFUSED, reason + " (" + status.value() + ")");
    }

    /**
     * The {@code detail} (or {@code title}) of a problem body, or a short plain-text body, on one line with its control
     * characters escaped: a detail may quote what a node sent, and anyone between the CLI and the coordinator can write
     * one.
     */
    static @Nullable String detail(@Nullable String body) {
        String detail = rawDetail(body);
        return (detail != null) ? Untrusted.cell(detail) : null;
    }

    private static @Nullable String rawDetail(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            for (String field : List.of("detail", "title", "error", "message")) {
                JsonNode value = node.get(field);
                if (value != null && value.isString() && !value.asString().isBlank()) {
                    return value.asString();
                }
            }
            return null;
        } catch (RuntimeException ex) {
            String text = body.strip();
            return (text.length() <= 200 && !text.contains("<")) ? text : null;
        }
    }

    private static String proxyHint() {
        for (String variable : PROXY_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return "; " + variable + " is set: if the coordinator is only reachable without the proxy, add its"
                        + " host to no_proxy";
            }
        }
        return "";
    }
}
