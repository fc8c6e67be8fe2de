package io.clawmesh.coordinator.outbound;

import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The head of an outbound agent's answer and its body as it arrives.
 *
 * @param headers the answer's headers, names in lower case
 * @param body the body; reading it waits for the next piece (a {@link java.net.SocketTimeoutException} after the
 *     exchange's read timeout) and fails with {@link LinkLostException} when the connection drops
 */
public record LinkResponse(int status, Map<String, String> headers, InputStream body) {

    public @Nullable String contentType() {
        return this.headers.get("content-type");
    }
}
