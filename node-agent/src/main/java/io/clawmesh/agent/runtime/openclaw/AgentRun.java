package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One message's run on the gateway: its request, the idempotency key it runs under (the mesh message id, or a key
 * derived from it after the gateway lost the run), what the gateway told about it so far, and what of its text was
 * passed on. The text the gateway reports is cumulative (protocols/openclaw.md §5.3), so the pieces passed on are what
 * each {@code assistant} event adds to the text passed so far; see {@link StreamedReply} for corrections.
 */
final class AgentRun {

    private final RuntimeRequest request;

    private String key;

    private int rekeys;

    private @Nullable String sessionKey;

    private @Nullable String resumedAs;

    private String text = "";

    private final StreamedReply reply;

    private volatile @Nullable Inbox inbox;

    AgentRun(RuntimeRequest request, StreamedReply reply) {
        this.request = request;
        this.key = request.messageId();
        this.reply = reply;
        request.abort().onAbort(this::wake);
    }

    /** Makes {@code inbox} the one the run's thread waits on, so an abort wakes it. */
    void listen(Inbox inbox) {
        this.inbox = inbox;
        if (this.request.abort().aborted()) {
            inbox.abortRequested();
        }
    }

    private void wake() {
        Inbox current = this.inbox;
        if (current != null) {
            current.abortRequested();
        }
    }

    boolean aborted() {
        return this.request.abort().aborted();
    }

    /** The whole reply, given the gateway's final text: what was passed on plus what the final text adds. */
    String finish(String finalText) {
        return this.reply.finish(finalText);
    }

    RuntimeRequest request() {
        return this.request;
    }

    /** The idempotency key, which the gateway also uses as the run id. */
    String id() {
        return this.key;
    }

    /** Runs again under {@code <message id>:retry-<n>}, which gives a one-off run a fresh session. */
    void rekey() {
        this.rekeys++;
        this.key = this.request.messageId() + ":retry-" + this.rekeys;
        this.sessionKey = null;
    }

    /** The run the gateway's restart recovery resumed this message as (a new run id in its one-off session). */
    @Nullable
    String resumedAs() {
        return this.resumedAs;
    }

    /** Takes {@code runId} as the gateway's resumption of this run; false when one was taken already. */
    boolean resume(String runId) {
        if (this.resumedAs != null || runId.equals(this.key)) {
            return false;
        }
        this.resumedAs = runId;
        return true;
    }

    /** The run to ask {@code agent.wait} about: the resumed one when there is one. */
    String waitTarget() {
        return (this.resumedAs != null) ? this.resumedAs : this.key;
    }

    /** The one-off session of the original message ({@code agent:main:explicit:<id>}); null with a session key. */
    @Nullable
    String oneOffSession() {
        return (this.request.sessionKey() == null) ? "agent:main:explicit:" + this.request.messageId() : null;
    }

    Instant deadline() {
        return this.request.deadline();
    }

    /** The canonical session key the gateway reported; a one-off run's session is {@code explicit:<key>}. */
    String sessionKey() {
        if (this.sessionKey != null) {
            return this.sessionKey;
        }
        return (this.request.sessionKey() != null) ? this.request.sessionKey() : "agent:main:explicit:" + this.key;
    }

    void noteSessionKey(JsonNode key) {
        if (key.isString() && !key.stringValue().isBlank()) {
            this.sessionKey = key.stringValue();
        }
    }

    String text() {
        return this.text;
    }

    void noteText(String latest) {
        // assistant text is cumulative (and may be replaced): keep the latest, never concatenate deltas
        this.text = latest;
        this.reply.upTo(latest);
    }
}
