package io.clawmesh.common.task;

/**
 * The SSE {@code event:} names of a task's event stream ({@code GET /api/v1/tasks/{id}/events} on the coordinator and
 * on the agent), of the agent's streamed {@code POST /api/v1/messages}, and of the coordinator's streamed
 * {@code POST /api/v1/route}. Every {@code data:} is one JSON object.
 */
public final class TaskEventTypes {

    /** The task is waiting for a node: {@code {task_id, priority}}. */
    public static final String QUEUED = "queued";

    /** A node was chosen: {@code {node_id, node_name, attempt}}. */
    public static final String ASSIGNED = "assigned";

    /** The node accepted the task and its runtime started: {@code {node_id, node_name}}. */
    public static final String STARTED = "started";

    /** A piece of the reply, in order: {@code {text}}. The pieces concatenated equal the final response. */
    public static final String DELTA = "delta";

    /** Final: {@code {response}}. */
    public static final String SUCCEEDED = "succeeded";

    /** Final: {@code {error}}. */
    public static final String FAILED = "failed";

    /** Final: {@code {error}} saying who canceled. */
    public static final String CANCELED = "canceled";

    /** Final: {@code {error}} saying which timeout. */
    public static final String TIMED_OUT = "timed_out";

    /**
     * Final event of a streamed route ({@code POST /api/v1/route} with {@code Accept: text/event-stream}) and of the
     * agent's streamed message: the whole answer, {@code {message_id, node_id, node_name?, response}}.
     */
    public static final String DONE = "done";

    /** Final event of a streamed route or message that failed: an RFC 9457 problem object. */
    public static final String ERROR = "error";

    /** The media type of server-sent events. */
    public static final String EVENT_STREAM = "text/event-stream";

    private TaskEventTypes() {}
}
