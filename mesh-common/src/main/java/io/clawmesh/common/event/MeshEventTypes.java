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

    /** A task was submitted and waits for a node. */
    public static final String TASK_QUEUED = "task.queued";

    /** A node accepted a task and its runtime started it. */
    public static final String TASK_STARTED = "task.started";

    /** A task ended: succeeded, failed, canceled or timed out (the {@code status} says which). */
    public static final String TASK_FINISHED = "task.finished";

    private MeshEventTypes() {}
}
