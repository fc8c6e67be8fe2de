package io.clawmesh.agent.inbound;

import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.node.NodeCredentials;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets a message in only when it carries this node's delivery credential, which only the coordinator that registered
 * the node can compute (see {@link NodeCredentials#deliveryCredential(String, String)}). Compared in constant time.
 */
public class DeliveryAuthInterceptor implements HandlerInterceptor {

    private static final String BEARER = "bearer ";

    private final RegistrationState state;

    public DeliveryAuthInterceptor(RegistrationState state) {
        this.state = state;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Optional<String> expected = this.state.deliveryCredential();
        if (expected.isEmpty()) {
            throw new NotRegisteredException();
        }
        String presented = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            throw new MissingCredentialException();
        }
        if (!NodeCredentials.secretsEqual(expected.get(), presented)) {
            throw new InvalidCredentialException();
        }
        return true;
    }

    private static @Nullable String bearer(@Nullable String header) {
        if (header == null || header.length() <= BEARER.length()) {
            return null;
        }
        if (!header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        String credential = header.substring(BEARER.length()).strip();
        return credential.isEmpty() ? null : credential;
    }
}
