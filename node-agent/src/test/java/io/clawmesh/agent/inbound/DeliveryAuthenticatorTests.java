package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.node.NodeCredentials;
import org.junit.jupiter.api.Test;

/** The delivery credential across node token rotations (ADR 0014): the current token's and the one before it. */
class DeliveryAuthenticatorTests {

    private static final String NODE = "node-00000000000000aa";

    private final RegistrationState state = new RegistrationState();

    private final DeliveryAuthenticator authenticator = new DeliveryAuthenticator(this.state);

    private static String bearer(String token) {
        return "Bearer " + NodeCredentials.deliveryCredential(NodeCredentials.hash(token), NODE);
    }

    @Test
    void checkAfterARotationShouldAcceptTheCurrentAndThePreviousTokensCredentialOnly() {
        NodeIdentity first = new NodeIdentity(NODE, "cmn_first", "http://127.0.0.1:9180");
        NodeIdentity second = first.rotatedTo("cmn_second");
        this.state.use(second);

        assertThatCode(() -> this.authenticator.check(bearer("cmn_second"))).doesNotThrowAnyException();
        assertThatCode(() -> this.authenticator.check(bearer("cmn_first"))).doesNotThrowAnyException();
        assertThatExceptionOfType(InvalidCredentialException.class)
                .isThrownBy(() -> this.authenticator.check(bearer("cmn_someone-else")));

        this.state.use(second.rotatedTo("cmn_third"));

        assertThatCode(() -> this.authenticator.check(bearer("cmn_third"))).doesNotThrowAnyException();
        assertThatCode(() -> this.authenticator.check(bearer("cmn_second"))).doesNotThrowAnyException();
        assertThatExceptionOfType(InvalidCredentialException.class)
                .as("two rotations back")
                .isThrownBy(() -> this.authenticator.check(bearer("cmn_first")));
    }

    @Test
    void checkWithoutARotationShouldAcceptOnlyTheTokensCredential() {
        this.state.use(new NodeIdentity(NODE, "cmn_only", "http://127.0.0.1:9180"));

        assertThatCode(() -> this.authenticator.check(bearer("cmn_only"))).doesNotThrowAnyException();
        assertThatExceptionOfType(InvalidCredentialException.class)
                .isThrownBy(() -> this.authenticator.check(bearer("cmn_other")));
        assertThatExceptionOfType(MissingCredentialException.class).isThrownBy(() -> this.authenticator.check(null));
    }
}
