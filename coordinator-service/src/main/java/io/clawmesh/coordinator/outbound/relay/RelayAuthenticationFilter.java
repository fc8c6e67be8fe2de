package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.security.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets through only relay calls that carry the replicas' shared secret ({@code Authorization: MeshRelay <secret>}):
 * no operator token, node token or client key opens the relay.
 */
class RelayAuthenticationFilter extends OncePerRequestFilter {

    private final RelaySecret secret;

    private final ProblemWriter problems;

    RelayAuthenticationFilter(RelaySecret secret, ProblemWriter problems) {
        this.secret = secret;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!this.secret.matches(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, RelaySecret.SCHEME + " realm=\"claw-mesh replicas\"");
            this.problems.write(
                    request,
                    response,
                    Problems.of(
                            ProblemType.UNAUTHORIZED,
                            "the relay is for coordinator replicas only: it needs 'Authorization: " + RelaySecret.SCHEME
                                    + " <the replicas' shared secret>'"));
            return;
        }
        chain.doFilter(request, response);
    }
}
