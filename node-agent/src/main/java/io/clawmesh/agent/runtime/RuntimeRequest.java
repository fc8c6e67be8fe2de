package io.clawmesh.agent.runtime;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One message for a runtime.
 *
 * @param messageId the mesh message id, passed to the runtime as its idempotency key so a retry is not run twice
 * @param content the text to answer
 * @param source who sent it (channel or user), for the runtime's log
 * @param sessionKey the conversation it belongs to
 * @param deadline when the caller stops waiting; the runtime should give up by then
 * @param abort stops the run on the runtime when a cancel or timeout asks for it
 */
public record RuntimeRequest(
        String messageId,
        String content,
        @Nullable String source,
        @Nullable String sessionKey,
        Instant deadline,
        RunAbort abort) {

    /** A request nothing will abort except its deadline. */
    public RuntimeRequest(
            String messageId, String content, @Nullable String source, @Nullable String sessionKey, Instant deadline) {
        this(messageId, content, source, sessionKey, deadline, new RunAbort());
    }
}
