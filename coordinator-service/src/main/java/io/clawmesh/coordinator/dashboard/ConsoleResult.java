package io.clawmesh.coordinator.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * What the console shows after sending: the answering node, the latency and the reply, or why it failed.
 *
 * @param error why the mesh refused or could not deliver the message; {@code null} when it was answered
 */
record ConsoleResult(
        @Nullable String messageId,
        @Nullable String nodeId,
        @Nullable String nodeName,
        long latencyMs,
        @Nullable String response,
        @Nullable String error) {

    public boolean failed() {
        return this.error != null;
    }
}
