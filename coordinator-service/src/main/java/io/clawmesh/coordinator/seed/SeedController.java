package io.clawmesh.coordinator.seed;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.common.seed.SeedApi;
import io.clawmesh.common.seed.SeedWorkspaceResponse;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/seed/config} and {@code GET /api/v1/seed/workspace}, for node tokens and the operator token
 * (see {@code SecurityConfiguration}).
 */
@RestController
public class SeedController implements SeedApi {

    private final SeedFiles files;

    public SeedController(SeedFiles files) {
        this.files = files;
    }

    @Override
    public Map<String, Object> config() {
        return this.files.config();
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
