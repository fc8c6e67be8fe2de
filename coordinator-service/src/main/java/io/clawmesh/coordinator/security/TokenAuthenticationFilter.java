package io.clawmesh.coordinator.security;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.keys.ClientKey;
import io.clawmesh.coordinator.keys.ClientKeys;
import io.clawmesh.coordinator.keys.RateLimitedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}; a client key is also counted against its rate limit here (429
 * with {@code Retry-After} beyond it) and its use recorded. A token that is present but unknown is answered 401 at
 * once; a request without one goes on anonymous and is refused by the authorization rules. Not a bean, so Boot does not
 * also register it as a servlet filter.
 */
public class TokenAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final TokenAuthenticator authenticator;

    private final ProblemWriter problems;

    private final ClientKeys clientKeys;

    public TokenAuthenticationFilter(TokenAuthenticator authenticator, ProblemWriter problems, ClientKeys clientKeys) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.clientKeys = clientKeys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        String token = bearerToken(header);
        if (token == null) {
            unauthorized(request, response, "the Authorization header must be 'Bearer <token>'");
            return;
        }
        Optional<MeshAuthentication> authentication = this.authenticator.authenticate(token);
        if (authentication.isEmpty()) {
            unauthorized(
                    request,
                    response,
                    ClientKeys.isClientKey(token)
                            ? "the client key is not valid: unknown, or revoked ('claw-mesh key list' shows them)"
                            : "the bearer token is not valid for this coordinator; check --token (operator) "
                                    + "or the join/node token of the agent");
            return;
        }
        ClientKey clientKey = authentication.get().clientKey();
        if (clientKey != null) {
            try {
                this.clientKeys.use(clientKey);
            } catch (RateLimitedException ex) {
                response.setHeader(
                        HttpHeaders.RETRY_AFTER,
                        String.valueOf(Math.max(1, ex.retryAfter().toSeconds())));
                this.problems.write(request, response, Problems.of(ProblemType.RATE_LIMITED, ex.getMessage()));
                return;
            }
        }
        SecurityContextHolder.getContext().setAuthentication(authentication.get());
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null when there is none or the header is not one. */
    public static @Nullable String bearerToken(@Nullable String header) {
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"claw-mesh\"");
        this.problems.write(request, response, Problems.of(ProblemType.UNAUTHORIZED, detail));
    }
}
