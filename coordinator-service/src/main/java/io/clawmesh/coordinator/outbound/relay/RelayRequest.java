package io.clawmesh.coordinator.outbound.relay;

import java.util.Map;
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
        long timeout) {}
