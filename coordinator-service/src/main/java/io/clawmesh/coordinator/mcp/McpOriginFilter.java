package io.clawmesh.coordinator.mcp;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.security.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses {@code /mcp} requests from a web page of an origin the operator did not allow, as the MCP Streamable HTTP
 * transport asks of servers against DNS rebinding: a request with an {@code Origin} header must name one of
 * {@code mesh.mcp.allowed-origins} ({@code scheme://host[:port]}, or {@code scheme://host:*} for any port). Requests
 * without the header (every native MCP client) pass; the bearer token is checked before this filter either way.
 */
class McpOriginFilter extends OncePerRequestFilter {

    private final List<String> allowedOrigins;

    private final ProblemWriter problems;

    McpOriginFilter(List<String> allowedOrigins, ProblemWriter problems) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed(origin)) {
            chain.doFilter(request, response);
            return;
        }
        String shown = origin.replaceAll("[^\\x20-\\x7e]", "?");
        this.problems.write(
                request,
                response,
                Problems.of(
                        ProblemType.FORBIDDEN,
                        "requests to /mcp from web pages of origin '"
                                + ((shown.length() <= 100) ? shown : shown.substring(0, 100) + "…")
                                + "' are refused (DNS rebinding protection); add the origin to mesh.mcp.allowed-origins "
                                + "if a browser client of yours really lives there"));
    }

    boolean allowed(String origin) {
        for (String allowed : this.allowedOrigins) {
            if (allowed.equals(origin)) {
                return true;
            }
            if (allowed.endsWith(":*")) {
                String base = allowed.substring(0, allowed.length() - 2);
                if (origin.equals(base)
                        || (origin.startsWith(base + ":") && isPort(origin.substring(base.length() + 1)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isPort(String value) {
        return !value.isEmpty() && value.length() <= 5 && value.chars().allMatch(Character::isDigit);
    }
}
