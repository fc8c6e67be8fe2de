package io.clawmesh.coordinator.mcp;

import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import io.clawmesh.coordinator.tasks.Task;
import io.clawmesh.coordinator.tasks.TaskBoard;
import io.clawmesh.coordinator.tasks.TaskFollower;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tools that hand work to the mesh: {@code send_message} submits a durable task (SPEC §16) and waits for its reply
 * for a bounded time, streaming it as progress notifications; {@code get_task} and {@code cancel_task} follow up.
 */
@Component
class TaskTools {

    private static final Logger logger = LoggerFactory.getLogger(TaskTools.class);

    /** What tasks submitted here say as their {@code source}. */
    static final String SOURCE = "mcp";

    private static final String SEND_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "content": {"type": "string", "minLength": 1, "maxLength": 524288,
                  "description": "The message for the assistant on the other machine: what to do or answer."},
                "target": {"type": "string", "maxLength": 100,
                  "description": "Where to run it: a node name or id from list_nodes, or group:NAME. Leave it out to let the mesh's routing rules and load balancing choose."},
                "session_key": {"type": "string", "maxLength": 256,
                  "description": "A conversation key: messages with the same key continue one conversation on the node."},
                "wait": {"type": "boolean", "default": true,
                  "description": "true (default): wait for the reply and return its text. false: return the task id at once; read the reply later with get_task."}
              },
              "required": ["content"],
              "additionalProperties": false
            }""";

    private static final String TASK_ID_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "task_id": {"type": "string", "minLength": 1, "maxLength": 100,
                  "description": "The task id that send_message returned."}
              },
              "required": ["task_id"],
              "additionalProperties": false
            }""";

    private static final int MAX_CONTENT = 512 * 1024;

    private final TaskBoard board;

    private final TaskFollower follower;

    private final McpProperties properties;

    private final JsonMapper json;

    TaskTools(TaskBoard board, TaskFollower follower, McpProperties properties, JsonMapper json) {
        this.board = board;
        this.follower = follower;
        this.properties = properties;
        this.json = json;
    }

    List<SyncToolSpecification> tools() {
        return List.of(
                GuardedTool.of(
                        GuardedTool.tool(
                                "send_message",
                                "Hand a message to an AI assistant on another machine of the claw-mesh and get its"
                                        + " reply. The mesh queues it as a durable task, runs it on the target node (or"
                                        + " one its routing picks) and returns the reply text. If the reply takes"
                                        + " longer than "
                                        + this.properties.replyWait().toSeconds() + " s, or wait is"
                                        + " false, it returns the task id instead: call get_task with it later.",
                                SEND_SCHEMA,
                                false),
                        Set.of("content", "target", "session_key", "wait"),
                        this::send),
                GuardedTool.of(
                        GuardedTool.tool(
                                "get_task",
                                "Get a task that send_message started: its status (queued, assigned, running,"
                                        + " succeeded, failed, canceled, timed_out), the node that runs it, and its"
                                        + " reply once it has succeeded or its error.",
                                TASK_ID_SCHEMA,
                                true),
                        Set.of("task_id"),
                        (call) -> describe(this.board.find(taskId(call), call.owner()), false, false)),
                GuardedTool.of(
                        GuardedTool.tool(
                                "cancel_task",
                                "Cancel a task that send_message started and has not finished: a queued task never"
                                        + " runs, a running one is stopped on its node. Fails for a finished task.",
                                TASK_ID_SCHEMA,
                                false),
                        Set.of("task_id"),
                        (call) -> describe(this.board.cancel(taskId(call), call.owner()), false, false)));
    }

    private CallToolResult send(ToolCall call) {
        TaskRequest request = new TaskRequest(
                call.arguments().required("content", MAX_CONTENT),
                SOURCE,
                call.arguments().optional("session_key", 256),
                call.arguments().optional("target", 100),
                null,
                null,
                null);
        boolean wait = call.arguments().flag("wait", true);
        Task task = this.board.submit(request, null, call.owner()).task();
        logger.debug("MCP send_message from {}: task {}", call.callerName(), task.id());
        if (!wait) {
            return describe(task, false, true);
        }
        StringBuilder reply = new StringBuilder();
        try {
            task = this.follower.await(task.id(), this.properties.replyWait(), (text) -> {
                reply.append(text);
                call.progress(reply.length(), text);
            });
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return describe(this.board.find(task.id(), call.owner()), true, true);
        }
        return describe(task, !task.status().finished(), true);
    }

    private static String taskId(ToolCall call) {
        return call.arguments().required("task_id", 100).strip();
    }

    /**
     * A task as a tool result: the reply text when it succeeded, why it did not when it ended otherwise, and its id and
     * status while it runs.
     *
     * @param stillRunning whether a wait for its reply ran out
     * @param failureIsError whether a task that ended without a reply makes the call a tool error ({@code send_message}:
     *     the message was not handled), rather than a fact the call reports ({@code get_task}, {@code cancel_task})
     */
    private CallToolResult describe(Task task, boolean stillRunning, boolean failureIsError) {
        TaskView view = task.view();
        Map<String, Object> structured =
                new LinkedHashMap<>(this.json.convertValue(view, new TypeReference<Map<String, Object>>() {}));
        structured.values().removeIf(Objects::isNull);
        TaskStatus status = task.status();
        if (status == TaskStatus.SUCCEEDED) {
            return GuardedTool.ok((task.response() != null) ? task.response() : "", structured);
        }
        if (status.finished()) {
            String text = "task " + task.id() + " " + status.wireName()
                    + ((task.nodeName() != null) ? " on " + task.nodeName() : "")
                    + ((task.error() != null) ? ": " + task.error() : "");
            return failureIsError ? GuardedTool.error(text) : GuardedTool.ok(text, structured);
        }
        String text = "task " + task.id() + " is " + status.wireName()
                + ((task.nodeName() != null) ? " on " + task.nodeName() : "")
                + (stillRunning
                        ? "; its reply did not come within "
                                + this.properties.replyWait().toSeconds() + " s"
                        : "")
                + ". Call get_task with task_id " + task.id() + " for its reply, or cancel_task to stop it.";
        return GuardedTool.ok(text, structured);
    }
}
