package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.PrintableText;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a replica asks another to send down an outbound agent's connection: the agent API call, without a credential
 * (the replica that holds the link adds the node's delivery credential itself).
 *
 * @param method {@code GET}, {@code POST} or {@code DELETE}
 * @param path one of the agent's message and task paths
 * @param headers {@code Accept}, {@code Content-Type}, {@code X-Mesh-Message-Id} and {@code Last-Event-ID} only
 * @param body the request body, Base64
 * @param timeout how long the agent's answer may stay silent, in milliseconds
 */
record RelayRequest(
        @Nullable String method,
        @Nullable String path,
        @Nullable Map<String, String> headers,
        @Nullable String body,
        long timeout) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private static final Pattern TASK_PATH =
            Pattern.compile(Pattern.quote(ApiPaths.TASKS) + "/[A-Za-z0-9._-]{1,100}(/events)?");

    /** A running message, which the coordinator cancels when the client of a plain chat completion left. */
    private static final Pattern MESSAGE_PATH =
            Pattern.compile(Pattern.quote(ApiPaths.AGENT_MESSAGES) + "/[A-Za-z0-9._-]{1,100}");

    private static final Set<String> HEADERS =
            Set.of("accept", "content-type", ApiPaths.MESSAGE_ID_HEADER.toLowerCase(Locale.ROOT), "last-event-id");

    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /** What is wrong with this request for {@code nodeId}, or {@code null} when it may be relayed. */
    @Nullable
    String problem(String nodeId) {
        RelayRequest relayed = this;
        if (!ID.matcher(nodeId).matches()) {
            return "the node id must be 1 to 100 letters, digits, '.', '_' or '-'";
        }
        String method = relayed.method();
        String path = relayed.path();
        if (method == null || path == null) {
            return "method and path are required";
        }
        boolean allowed = switch (method) {
            case "POST" -> path.equals(ApiPaths.AGENT_MESSAGES) || path.equals(ApiPaths.TASKS);
            case "GET" -> TASK_PATH.matcher(path).matches();
            case "DELETE" ->
                (TASK_PATH.matcher(path).matches() && !path.endsWith("/events"))
                        || MESSAGE_PATH.matcher(path).matches();
            default -> false;
        };
        if (!allowed) {
            return "only the agent's message and task calls are relayed (POST " + ApiPaths.AGENT_MESSAGES + ", POST "
                    + ApiPaths.TASKS + ", GET or DELETE " + ApiPaths.TASKS + "/{id}, GET " + ApiPaths.TASKS
                    + "/{id}/events, DELETE " + ApiPaths.AGENT_MESSAGE + "), not " + printable(method) + " "
                    + printable(path);
        }
        if (relayed.headers() == null) {
            return "headers are required";
        }
        for (Map.Entry<String, String> header : relayed.headers().entrySet()) {
            if (header.getKey() == null || !HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                return "header '" + printable(String.valueOf(header.getKey()))
                        + "' is not relayed (only Accept, Content-Type, " + ApiPaths.MESSAGE_ID_HEADER
                        + " and Last-Event-ID; the node's credential is added by the replica that holds its connection)";
            }
            String value = header.getValue();
            if (value == null || value.length() > 256 || !value.chars().allMatch((c) -> c >= 0x20 && c < 0x7f)) {
                return "header '" + header.getKey() + "' must be at most 256 printable ASCII characters";
            }
        }
        if (relayed.timeout() <= 0 || relayed.timeout() > MAX_TIMEOUT.toMillis()) {
            return "timeout must be 1 to " + MAX_TIMEOUT.toMillis() + " milliseconds";
        }
        return null;
    }

    private static String printable(String text) {
        String cut = (text.length() > 100) ? text.substring(0, 100) + "…" : text;
        return PrintableText.escape(cut);
    }
}
