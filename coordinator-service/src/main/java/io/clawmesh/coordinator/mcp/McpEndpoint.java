package io.clawmesh.coordinator.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;

/**
 * The MCP server and the SDK's servlet transport it answers through, built together on the first MCP request
 * ({@link LazyMcpServlet}); closing it closes the server and its sessions.
 */
record McpEndpoint(HttpServletStreamableServerTransportProvider transport, McpSyncServer server)
        implements AutoCloseable {

    @Override
    public void close() {
        this.server.close();
    }
}
