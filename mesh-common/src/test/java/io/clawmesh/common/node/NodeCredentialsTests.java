package io.clawmesh.common.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeCredentialsTests {

    private static final String TOKEN = "cmn_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    @Test
    void hashWhenKnownInputShouldBeHexSha256() {
        // Known answer: SHA-256("abc") from FIPS 180-2.
        assertThat(NodeCredentials.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashWhenTokenShouldBe64LowerCaseHexDigits() {
        assertThat(NodeCredentials.hash(TOKEN)).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(NodeCredentials.hash(TOKEN)).isEqualTo(NodeCredentials.hash(TOKEN));
        assertThat(NodeCredentials.hash(TOKEN)).isNotEqualTo(NodeCredentials.hash(TOKEN + "x"));
    }

    @Test
    void deliveryCredentialWhenSameInputsShouldBeDeterministic() {
        String hash = NodeCredentials.hash(TOKEN);

        String credential = NodeCredentials.deliveryCredential(hash, "node-0000000000000001");

        assertThat(credential).matches("cmd_[0-9a-f]{64}");
        assertThat(NodeCredentials.deliveryCredential(hash, "node-0000000000000001"))
                .isEqualTo(credential);
    }

    @Test
    void deliveryCredentialWhenOtherNodeIdShouldDiffer() {
        String hash = NodeCredentials.hash(TOKEN);

        assertThat(NodeCredentials.deliveryCredential(hash, "node-0000000000000001"))
                .isNotEqualTo(NodeCredentials.deliveryCredential(hash, "node-0000000000000002"));
    }

    @Test
    void deliveryCredentialWhenOtherTokenShouldDiffer() {
        assertThat(NodeCredentials.deliveryCredential(NodeCredentials.hash(TOKEN), "node-0000000000000001"))
                .isNotEqualTo(
                        NodeCredentials.deliveryCredential(NodeCredentials.hash(TOKEN + "x"), "node-0000000000000001"));
    }

    @Test
    void deliveryCredentialShouldNotRevealTheTokenOrItsHash() {
        String hash = NodeCredentials.hash(TOKEN);

        String credential = NodeCredentials.deliveryCredential(hash, "node-0000000000000001");

        assertThat(credential).doesNotContain(hash).doesNotContain(TOKEN.substring(4));
    }

    @Test
    void secretsEqualWhenSameShouldBeTrueAndOtherwiseFalse() {
        assertThat(NodeCredentials.secretsEqual("secret", new String("secret"))).isTrue();
        assertThat(NodeCredentials.secretsEqual("secret", "Secret")).isFalse();
        assertThat(NodeCredentials.secretsEqual("secret", "secret-longer")).isFalse();
        assertThat(NodeCredentials.secretsEqual("secret", "")).isFalse();
    }

    @Test
    void secretsEqualWhenEitherMissingShouldBeFalse() {
        assertThat(NodeCredentials.secretsEqual(null, "secret")).isFalse();
        assertThat(NodeCredentials.secretsEqual("secret", null)).isFalse();
        assertThat(NodeCredentials.secretsEqual(null, null)).isFalse();
    }
}
