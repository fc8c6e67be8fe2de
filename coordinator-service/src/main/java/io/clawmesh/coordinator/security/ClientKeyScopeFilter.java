package io.clawmesh.coordinator.security;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.keys.ClientKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request that carries a client key ({@code Bearer cmk_…}) with 403 outside {@code /api/**} and the front
 * doors, whose security chains decide themselves: a client key has no business with the dashboard, the actuator or
 * the metrics, even where those are open to anyone without a token.
 */
public class ClientKeyScopeFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    private final String detail;

    public ClientKeyScopeFilter(ProblemWriter problems, String detail) {
        this.problems = problems;
        this.detail = detail;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = TokenAuthenticationFilter.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (ClientKeys.isClientKey(token) && !ownChain(request.getRequestURI())) {
            this.problems.write(request, response, Problems.of(ProblemType.FORBIDDEN, this.detail));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean ownChain(String path) {
        return path.startsWith(ApiPaths.API + "/")
                || ProblemWriter.isOpenAiPath(path)
                || path.equals(ApiPaths.MCP)
                || path.startsWith(ApiPaths.MCP + "/");
    }
}
