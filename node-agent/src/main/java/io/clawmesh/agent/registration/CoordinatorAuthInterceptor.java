package io.clawmesh.agent.registration;

import io.clawmesh.common.api.ApiPaths;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Adds the bearer token to calls to the coordinator: the join token to the registration, the node token to everything
 * else (heartbeat, deregistration), so the join token never travels more often than needed.
 */
class CoordinatorAuthInterceptor implements ClientHttpRequestInterceptor {

    private final @Nullable String joinToken;

    private final RegistrationState state;

    CoordinatorAuthInterceptor(@Nullable String joinToken, RegistrationState state) {
        this.joinToken = joinToken;
        this.state = state;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String token = isRegistration(request)
                ? this.joinToken
                : this.state.identity().map(NodeIdentity::token).orElse(null);
        if (token != null && !token.isBlank()) {
            request.getHeaders().setBearerAuth(token);
        }
        return execution.execute(request, body);
    }

    private static boolean isRegistration(HttpRequest request) {
        String path = request.getURI().getPath();
        return HttpMethod.POST.equals(request.getMethod()) && path != null && path.endsWith(ApiPaths.REGISTER);
    }
}
