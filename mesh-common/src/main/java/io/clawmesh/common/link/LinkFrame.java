package io.clawmesh.common.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clawmesh.common.node.HeartbeatRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One JSON text frame on an outbound agent's WebSocket (ADR 0010). The socket carries the agent's own HTTP API as
 * multiplexed exchanges: down go {@code request} (method, path, headers), {@code body} pieces, {@code end} and
 * {@code reset}; up come {@code ack} (the agent took the request: from now on it is never sent elsewhere),
 * {@code response} (status, headers), {@code body} pieces, {@code end} and {@code reset}, and {@code heartbeat}, which
 * a rotation answers with a {@code node-token} frame down. Every frame but a heartbeat and a node token names its
 * exchange by {@code id}; a body piece holds at most {@link #MAX_DATA_CHARS} characters, so one large answer never
 * holds the socket for long.
 *
 * <p>Link version 2 (an agent that sends {@link #VERSION_HEADER} {@code 2} when it connects) saves frames in the common
 * case: a {@code request} or {@code response} may carry the first body piece in {@code data}, and {@code last} on a
 * {@code request}, {@code response} or {@code body} says whether the body is complete there, with no {@code end} frame
 * after it. A coordinator sends such frames only to an agent that announced version 2; an agent answers so only a
 * request that came with {@code last} (from a coordinator that reads them). Version 1 frames stay valid both ways.
 *
 * @param type what the frame is, one of the constants here
 * @param id the exchange it belongs to, chosen by the coordinator
 * @param method the HTTP method of a {@code request}
 * @param path the path (and query) of a {@code request}
 * @param headers the headers of a {@code request} or {@code response}
 * @param status the status of a {@code response}
 * @param data a {@code body} piece, or the reason of a {@code reset}
 * @param heartbeat the report of a {@code heartbeat}, as {@code POST /api/v1/nodes/{id}/heartbeat} takes it
 * @param last version 2, on a {@code request}, {@code response} or {@code body}: whether this frame ends the body
 *     ({@code true}: no {@code end} follows); absent in version 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkFrame(
        String type,
        @Nullable String id,
        @Nullable String method,
        @Nullable String path,
        @Nullable Map<String, String> headers,
        @Nullable Integer status,
        @Nullable String data,
        @Nullable HeartbeatRequest heartbeat,
        @Nullable Boolean last) {

    /** The WebSocket handshake header by which an agent announces the link version it speaks. */
    public static final String VERSION_HEADER = "X-Mesh-Link-Version";

    /** The link version with {@code data} and {@code last} on heads ({@code 1} when the header is absent). */
    public static final int VERSION = 2;

    /** Down: opens an exchange. */
    public static final String REQUEST = "request";

    /** Both ways: a piece of the exchange's body. */
    public static final String BODY = "body";

    /** Both ways: the body is complete. */
    public static final String END = "end";

    /** Both ways: the exchange is abandoned (the client went away, the handler broke off). */
    public static final String RESET = "reset";

    /** Up: the agent took the request; it may run it, so it is never sent to another node. */
    public static final String ACK = "ack";

    /** Up: the status and headers of the answer. */
    public static final String RESPONSE = "response";

    /** Up: the agent's heartbeat. */
    public static final String HEARTBEAT = "heartbeat";

    /**
     * Down: the answer to a heartbeat that rotated the node token (ADR 0014); {@code data} is the new token. The agent
     * stores it and proves it holds it by its next call over HTTP.
     */
    public static final String NODE_TOKEN = "node-token";

    /** The most characters one {@code body} frame carries. */
    public static final int MAX_DATA_CHARS = 16 * 1024;

    /** The largest text frame either side accepts: a full body piece, JSON-escaped at worst, and the envelope. */
    public static final int MAX_FRAME_CHARS = 8 * MAX_DATA_CHARS;

    public static LinkFrame request(String id, String method, String path, Map<String, String> headers) {
        return new LinkFrame(REQUEST, id, method, path, headers, null, null, null, null);
    }

    /** Version 2: a request with the first piece of its body ({@code null} for none) and whether that is all of it. */
    public static LinkFrame request(
            String id, String method, String path, Map<String, String> headers, @Nullable String data, boolean last) {
        return new LinkFrame(REQUEST, id, method, path, headers, null, data, null, last);
    }

    public static LinkFrame response(String id, int status, Map<String, String> headers) {
        return new LinkFrame(RESPONSE, id, null, null, headers, status, null, null, null);
    }

    /** Version 2: an answer's head with the first piece of its body ({@code null} for none) and whether that is all. */
    public static LinkFrame response(
            String id, int status, Map<String, String> headers, @Nullable String data, boolean last) {
        return new LinkFrame(RESPONSE, id, null, null, headers, status, data, null, last);
    }

    public static LinkFrame body(String id, String data) {
        return new LinkFrame(BODY, id, null, null, null, null, data, null, null);
    }

    /** Version 2: the last piece of a body, with no {@code end} after it. */
    public static LinkFrame lastBody(String id, String data) {
        return new LinkFrame(BODY, id, null, null, null, null, data, null, true);
    }

    /** A frame of {@code type} that carries only the exchange id ({@code ack}, {@code end}). */
    public static LinkFrame of(String type, String id) {
        return new LinkFrame(type, id, null, null, null, null, null, null, null);
    }

    public static LinkFrame reset(String id, String reason) {
        return new LinkFrame(RESET, id, null, null, null, null, reason, null, null);
    }

    public static LinkFrame nodeToken(String token) {
        return new LinkFrame(NODE_TOKEN, null, null, null, null, null, token, null, null);
    }

    public static LinkFrame heartbeat(HeartbeatRequest heartbeat) {
        return new LinkFrame(HEARTBEAT, null, null, null, null, null, null, heartbeat, null);
    }

    /** Whether this frame ends its exchange's body (version 2's {@code last}). */
    public boolean ends() {
        return Boolean.TRUE.equals(this.last);
    }
}
