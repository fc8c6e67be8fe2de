package io.clawmesh.common.event;

/** The {@code type} values of {@link MeshEventView}, which are also the SSE {@code event:} names. */
public final class MeshEventTypes {

    public static final String NODE_REGISTERED = "node.registered";

    public static final String NODE_STATUS_CHANGED = "node.status_changed";

    public static final String NODE_REMOVED = "node.removed";

    public static final String RULE_ADDED = "rule.added";

    public static final String RULE_REMOVED = "rule.removed";

    public static final String RULE_MOVED = "rule.moved";

    public static final String MESSAGE_ROUTED = "message.routed";

    public static final String MESSAGE_FAILED = "message.failed";

    private MeshEventTypes() {}
}
