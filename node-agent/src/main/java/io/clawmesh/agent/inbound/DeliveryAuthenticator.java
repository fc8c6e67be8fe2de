package io.clawmesh.agent.inbound;

import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.node.NodeCredentials;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Lets a message in only when it carries this node's delivery credential, which only the coordinator that registered
 * the node can compute (see {@link NodeCredentials#deliveryCredential(String, String)}). Compared in constant time.
 */
class DeliveryAuthenticator {

    private static final String BEARER = "bearer ";

    private final RegistrationState state;

    DeliveryAuthenticator(RegistrationState state) {
        this.state = state;
    }

    /**
     * Checks the {@code Authorization} header of a message.
     *
     * @throws NotRegisteredException before registration, when there is nothing to check against
     * @throws MissingCredentialException when there is no bearer credential
     * @throws InvalidCredentialException when the credential is not this node's
     */
    void check(@Nullable String authorization) {
        Optional<String> expected = this.state.deliveryCredential();
        if (expected.isEmpty()) {
            throw new NotRegisteredException();
        }
        String presented = bearer(authorization);
        if (presented == null) {
            throw new MissingCredentialException();
        }
        // the credential of the token a rotation replaced stays good until the next one (ADR 0014)
        boolean previous = NodeCredentials.secretsEqual(
                this.state.previousDeliveryCredential().orElse(null), presented);
        if (!NodeCredentials.secretsEqual(expected.get(), presented) && !previous) {
            throw new InvalidCredentialException();
        }
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
