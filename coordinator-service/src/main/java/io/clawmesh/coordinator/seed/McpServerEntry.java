package io.clawmesh.coordinator.seed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mesh as an MCP server in OpenClaw's config: {@code mcp.servers.claw-mesh} with the coordinator's {@code /mcp}
 * URL, the Streamable HTTP transport and an {@code Authorization} header that names an environment variable of the
 * node ({@code Bearer ${CLAW_MESH_MCP_KEY}}), which OpenClaw substitutes when it loads the config.
 */
final class McpServerEntry {

    /** The server's name under {@code mcp.servers}. */
    static final String NAME = "claw-mesh";

    private McpServerEntry() {}

    /** A copy of {@code config} with the entry added; nothing else under {@code mcp} is shared. */
    static Map<String, Object> addTo(Map<String, Object> config, String url, String keyEnv) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("url", url);
        server.put("transport", "streamable-http");
        server.put("headers", Map.of("Authorization", "Bearer ${" + keyEnv + "}"));
        Map<String, Object> shared = new LinkedHashMap<>(config);
        shared.put("mcp", Map.of("servers", Map.of(NAME, server)));
        return shared;
    }
}
