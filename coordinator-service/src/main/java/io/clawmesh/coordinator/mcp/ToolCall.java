package io.clawmesh.coordinator.mcp;

import io.clawmesh.coordinator.registry.Caller;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;

/**
 * One call of a tool: its checked arguments, the MCP session it came on, and who made it.
 *
 * @param progressToken the client's {@code _meta.progressToken}: progress notifications go out only when it sent one
 * @param caller the bearer token's authentication from the API security chain (the operator today; a client key
 *     later, which is what a task will be owned by)
 */
record ToolCall(
        ToolArguments arguments,
        McpSyncServerExchange exchange,
        @Nullable Object progressToken,
        @Nullable Authentication caller) {

    private static final Logger logger = LoggerFactory.getLogger(ToolCall.class);

    /** The key under which the transport context carries the caller (see {@link McpServerConfiguration}). */
    static final String CALLER = "claw-mesh.caller";

    static ToolCall of(ToolArguments arguments, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Map<String, Object> meta = request.meta();
        Object token = (meta != null) ? meta.get("progressToken") : null;
        Object caller = exchange.transportContext().get(CALLER);
        return new ToolCall(arguments, exchange, token, (caller instanceof Authentication auth) ? auth : null);
    }

    /**
     * Tells the client how far a long call got, when it asked to hear (sent a progress token).
     *
     * @param progress a number that grows with every notification
     */
    void progress(double progress, String message) {
        if (this.progressToken == null) {
            return;
        }
        try {
            this.exchange.progressNotification(
                    new McpSchema.ProgressNotification(this.progressToken, progress, null, message));
        } catch (RuntimeException ex) {
            // the client went away or its stream broke: the task runs on, get_task still finds it
            logger.debug("MCP progress notification not sent: {}", ex.getMessage());
        }
    }

    /** The client key that called, which owns the tasks it starts and alone sees them; {@code null} for the operator. */
    @Nullable
    String owner() {
        return Caller.clientKeyIdOf(this.caller);
    }

    /** Who called, for logs: the token's principal, or {@code unknown}. */
    String callerName() {
        return (this.caller != null) ? this.caller.getName() : "unknown";
    }
}
