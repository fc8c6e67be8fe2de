package io.clawmesh.coordinator.seed;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.common.seed.SeedApi;
import io.clawmesh.common.seed.SeedWorkspaceResponse;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /api/v1/seed/config} and {@code GET /api/v1/seed/workspace}, for node tokens and the operator token
 * (see {@code SecurityConfiguration}).
 */
@RestController
public class SeedController implements SeedApi {

    private final SeedFiles files;

    private final McpSeedProperties mcp;

    public SeedController(SeedFiles files, McpSeedProperties mcp) {
        this.files = files;
        this.mcp = mcp;
    }

    /** The shared config; with {@code mesh.seed.mcp.register}, the mesh's MCP server in it (alone if there is none). */
    @Override
    public Map<String, Object> config() {
        if (!this.mcp.register()) {
            return this.files.config();
        }
        Map<String, Object> config;
        try {
            config = this.files.config();
        } catch (SeedConfigUnavailableException ex) {
            if (!ex.missing()) {
                throw ex;
            }
            config = Map.of();
        }
        String url = (this.mcp.url() != null)
                ? this.mcp.url().toString()
                : ServletUriComponentsBuilder.fromCurrentContextPath()
                        .path(ApiPaths.MCP)
                        .toUriString();
        return McpServerEntry.addTo(config, url, this.mcp.keyEnv());
    }

    @Override
    public SeedWorkspaceResponse workspace() {
        return new SeedWorkspaceResponse(this.files.workspace());
    }

    @ExceptionHandler
    ProblemDetail configUnavailable(SeedConfigUnavailableException ex) {
        return ex.missing()
                ? Problems.of(ProblemType.SEED_CONFIG_NOT_FOUND, ex.getMessage())
                : Problems.of(ProblemType.SEED_CONFIG_UNREADABLE, ex.getMessage());
    }
}
