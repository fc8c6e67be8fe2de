package io.clawmesh.cli.client;

import io.clawmesh.cli.output.Untrusted;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.Causes;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.problem.ProblemType;
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
 * likely fix (exit 3), {@code unauthorized} and {@code forbidden} problems (or a bare 401/403) say which token was
 * wrong (exit 3), any other answer shows the problem's {@code detail} (exit 1).
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
        if (Causes.has(ex, HttpConnectTimeoutException.class) || isConnectTimeout(ex)) {
            message = "cannot reach the coordinator at " + url + " (no connection within "
                    + MeshClient.CONNECT_TIMEOUT.toSeconds() + "s): a firewall, a wrong address, or a proxy in between";
        } else if (Causes.has(ex, ConnectException.class) || Causes.has(ex, NoRouteToHostException.class)) {
            message = "cannot reach the coordinator at " + url + " (connection refused): is it running (claw-mesh up)"
                    + " and on this port? Point --coordinator or CLAW_MESH_COORDINATOR at the right host:port";
        } else if (Causes.has(ex, UnknownHostException.class)) {
            message = "cannot reach the coordinator at " + url + " (unknown host "
                    + settings.coordinator().getHost() + "): check the host name in --coordinator";
        } else if (Causes.has(ex, javax.net.ssl.SSLException.class)) {
            message = "refusing the coordinator at " + url + " over TLS: " + Causes.rootMessage(ex)
                    + " (pin its CA with --ca-fingerprint, or set tls.ca_file)";
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

    /**
     * Whether a plain {@code HttpURLConnection} (the CLI's http:// calls) gave up connecting: the socket's
     * {@link SocketTimeoutException} of a connect says so only in its message, unlike the JDK client's
     * {@link HttpConnectTimeoutException}.
     */
    static boolean isConnectTimeout(Exception ex) {
        SocketTimeoutException timeout = Causes.find(ex, SocketTimeoutException.class);
        return timeout != null && "Connect timed out".equals(timeout.getMessage());
    }

    /** The coordinator answered with an error status. */
    public static CliException refused(ConnectionSettings settings, RestClientResponseException ex) {
        return refused(settings, ex.getStatusCode(), ex.getResponseBodyAsString());
    }

    /**
     * The coordinator answered with an error status and this body. The problem's {@code type} chooses the message and
     * exit code; a body without a known type (a proxy, an older coordinator) is judged by its status alone.
     */
    public static CliException refused(ConnectionSettings settings, HttpStatusCode status, @Nullable String body) {
        String detail = detail(body);
        JsonNode problem = parse(body);
        ProblemType type = ProblemType.fromUri(
                        (problem != null
                                        && problem.get("type") != null
                                        && problem.get("type").isString())
                                ? problem.get("type").asString()
                                : null)
                .orElseGet(() -> ProblemType.forStatus(status.value()));
        String url = settings.coordinator().toString();
        return switch (type) {
            case UNAUTHORIZED ->
                (settings.token() == null)
                        ? new CliException(
                                ExitCode.UNREACHABLE,
                                "the coordinator at " + url
                                        + " needs the operator token: pass --token, set CLAW_MESH_TOKEN or coordinator.token"
                                        + " in claw-mesh.yaml (claw-mesh up keeps it in "
                                        + settings.dataDir().resolve("operator-token")
                                        + " on its machine)")
                        : new CliException(
                                ExitCode.UNREACHABLE,
                                "the coordinator at " + url
                                        + " refused the operator token from " + settings.tokenSource()
                                        + " (" + status.value()
                                        + "): pass the right one with --token or CLAW_MESH_TOKEN");
            case FORBIDDEN ->
                new CliException(
                        ExitCode.UNREACHABLE,
                        "the token from " + settings.tokenSource() + " is not the operator token (" + status.value()
                                + "): " + ((detail != null) ? detail : "it may not do this"));
            default ->
                new CliException(
                        ExitCode.REFUSED,
                        ((detail != null) ? detail : status.toString()) + " (" + status.value() + ")");
        };
    }

    /**
     * The {@code detail} (or {@code title}) of a problem body, or a short plain-text body, on one line with its control
     * characters escaped: a detail may quote what a node sent, and anyone between the CLI and the coordinator can write
     * one.
     */
    static @Nullable String detail(@Nullable String body) {
        JsonNode problem = parse(body);
        String detail = (problem != null) ? rawDetail(problem) : plainText(body);
        return (detail != null) ? Untrusted.cell(detail) : null;
    }

    private static @Nullable String rawDetail(JsonNode problem) {
        for (String field : List.of("detail", "title", "error", "message")) {
            JsonNode value = problem.get(field);
            if (value != null && value.isString() && !value.asString().isBlank()) {
                return value.asString();
            }
        }
        return null;
    }

    private static @Nullable JsonNode parse(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static @Nullable String plainText(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String text = body.strip();
        return (text.length() <= 200 && !text.contains("<")) ? text : null;
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
