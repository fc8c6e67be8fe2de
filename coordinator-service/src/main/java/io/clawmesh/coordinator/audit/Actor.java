package io.clawmesh.coordinator.audit;

import org.jspecify.annotations.Nullable;

/**
 * Who did an audited action.
 *
 * @param kind {@code operator}, {@code dashboard}, {@code node}, {@code key} or {@code system}
 * @param name which one: the operator token's fingerprint, the dashboard user, the node id, the client key name
 * @param address the remote address, when known (dashboard sessions)
 */
public record Actor(
        String kind, @Nullable String name, @Nullable String address) {

    /** The operator token with this fingerprint. */
    public static Actor operator(String fingerprint) {
        return new Actor("operator", fingerprint, null);
    }

    /** A dashboard session of {@code user} from {@code address}. */
    public static Actor dashboard(String user, @Nullable String address) {
        return new Actor("dashboard", user, address);
    }

    /** A node token. */
    public static Actor node(String nodeId) {
        return new Actor("node", nodeId, null);
    }

    /** A client key (the OpenAI-compatible API). */
    public static Actor key(String name) {
        return new Actor("key", name, null);
    }

    /** The coordinator itself, or a caller it could not tell. */
    public static Actor system() {
        return new Actor("system", null, null);
    }

    /** {@code kind:name}, or the kind alone. */
    public String label() {
        return (this.name != null) ? this.kind + ":" + this.name : this.kind;
    }
}
