package io.clawmesh.coordinator.seed;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether seed sync registers the mesh as an MCP server in the OpenClaw config joining nodes receive
 * ({@code mesh.seed.mcp.*}), so that each node's assistant can hand work to the others (SPEC §21). Off by default.
 *
 * @param register add {@code mcp.servers.claw-mesh} to the shared config
 * @param url the {@code /mcp} URL nodes reach the coordinator at; by default the URL the node fetched its seed config
 *     from, with {@code /mcp}
 * @param keyEnv the environment variable on each node that holds the bearer token for {@code /mcp} (a client key),
 *     referenced as {@code ${NAME}} in the config: the token itself never travels with seed sync
 */
@ConfigurationProperties("mesh.seed.mcp")
public record McpSeedProperties(
        @DefaultValue("false") boolean register,
        @Nullable URI url,
        @DefaultValue("CLAW_MESH_MCP_KEY") String keyEnv) {

    public McpSeedProperties {
        if (!keyEnv.matches("[A-Z_][A-Z0-9_]*")) {
            throw new IllegalArgumentException("mesh.seed.mcp.key-env must be an upper-case environment variable name"
                    + " ([A-Z_][A-Z0-9_]*, what OpenClaw substitutes), not '" + keyEnv + "'");
        }
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("mesh.seed.mcp.url must be an http:// or https:// URL, not " + url);
        }
    }
}
