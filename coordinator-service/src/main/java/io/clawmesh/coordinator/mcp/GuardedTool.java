package io.clawmesh.coordinator.mcp;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.tasks.IdempotencyConflictException;
import io.clawmesh.coordinator.tasks.QueueFullException;
import io.clawmesh.coordinator.tasks.TaskFinishedException;
import io.clawmesh.coordinator.tasks.TaskNotFoundException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a tool whose handler never fails the protocol: bad arguments and the mesh's refusals (unknown node or task,
 * full queue, finished task) come back as a tool error ({@code isError}) with a message an assistant can act on, and
 * an unexpected failure as a tool error too, logged here.
 */
final class GuardedTool {

    private static final Logger logger = LoggerFactory.getLogger(GuardedTool.class);

    /** What the mesh refuses with a message meant for the caller. */
    private static final List<Class<? extends RuntimeException>> REFUSALS = List.of(
            ToolArgumentException.class,
            InvalidInputException.class,
            NodeNotFoundException.class,
            TaskNotFoundException.class,
            TaskFinishedException.class,
            QueueFullException.class,
            IdempotencyConflictException.class);

    /**
     * The JSON mapper of the MCP server: Jackson 3 with its defaults, so that the protocol's fields this SDK version
     * does not know are ignored (Boot's mapper refuses unknown properties, which suits our own API, not MCP).
     */
    static final McpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.shared());

    private GuardedTool() {}

    /**
     * A tool's description for {@code tools/list}.
     *
     * @param inputSchema the JSON schema of its arguments
     * @param readOnly whether calling it changes nothing (a hint for clients that ask before running tools)
     */
    static McpSchema.Tool tool(String name, String description, String inputSchema, boolean readOnly) {
        return McpSchema.Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(JSON, inputSchema)
                .annotations(new McpSchema.ToolAnnotations(
                        null, readOnly, !readOnly && name.startsWith("cancel"), null, false, null))
                .build();
    }

    /**
     * A tool specification.
     *
     * @param arguments the names of the arguments the tool takes; any other is refused
     */
    static SyncToolSpecification of(
            McpSchema.Tool tool, Set<String> arguments, Function<ToolCall, CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    try {
                        ToolArguments checked = new ToolArguments(tool.name(), request.arguments(), arguments);
                        return handler.apply(ToolCall.of(checked, exchange, request));
                    } catch (RuntimeException ex) {
                        if (REFUSALS.stream().noneMatch((refusal) -> refusal.isInstance(ex))) {
                            logger.warn("MCP tool {} failed", tool.name(), ex);
                            return error(tool.name() + " failed on the coordinator: " + ex.getMessage());
                        }
                        return error(ex.getMessage());
                    }
                })
                .build();
    }

    /** A successful result: the text an assistant reads, and the same facts as structured content. */
    static CallToolResult ok(String text, Map<String, Object> structured) {
        return CallToolResult.builder()
                .addTextContent(text)
                .structuredContent(structured)
                .isError(false)
                .build();
    }

    /** A tool error: the call reached the mesh, and the message says why it did not work. */
    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
