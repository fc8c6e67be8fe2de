package io.clawmesh.coordinator.registry;

import org.jspecify.annotations.Nullable;

/**
 * Who asks to register a node, which decides whether an existing name may be taken over (SPEC §5): the operator may
 * take over any name, a node only its own, and a join token none that a node still holds.
 *
 * @param kind which token the request carried
 * @param nodeId the node a node token belongs to; {@code null} for the other kinds
 */
public record Registrant(Kind kind, @Nullable String nodeId) {

    /** The kinds of token that may call the registration endpoint. */
    public enum Kind {
        OPERATOR,
        JOIN,
        NODE
    }

    /** The operator token. */
    public static Registrant operator() {
        return new Registrant(Kind.OPERATOR, null);
    }

    /** The join token (or no token at all, for callers inside the coordinator that act like an agent). */
    public static Registrant join() {
        return new Registrant(Kind.JOIN, null);
    }

    /** The node token of node {@code id}. */
    public static Registrant node(String id) {
        return new Registrant(Kind.NODE, id);
    }

    /** Whether this registrant may take over the name held by node {@code id}. */
    boolean mayTakeOver(String id) {
        return this.kind == Kind.OPERATOR || (this.kind == Kind.NODE && id.equals(this.nodeId));
    }
}
