package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.RuntimeRequest;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One message's run on the gateway: its request, the idempotency key it runs under (the mesh message id, or a key
 * derived from it after the gateway lost the run), and what the gateway told about it so far.
 */
final class AgentRun {

    private final RuntimeRequest request;

    private String key;

    private int rekeys;

    private @Nullable String sessionKey;

    private String text = "";

    AgentRun(RuntimeRequest request) {
        this.request = request;
        this.key = request.messageId();
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
    }
}
