package io.clawmesh.agent.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.agent.registration.NodeIdentity;
import org.junit.jupiter.api.Test;

/** A token rotation keeps the outbound connection; a registration under a new token does not (ADR 0014). */
class LinkSupervisorRotationTests {

    private static final NodeIdentity CONNECTED = new NodeIdentity("node-00000000000000aa", "cmn_one", "http://c:9180");

    @Test
    void rotatedFromWhenTheNewIdentityKeepsTheOldTokenAsPreviousShouldBeTrue() {
        assertThat(LinkSupervisor.rotatedFrom(CONNECTED, CONNECTED.rotatedTo("cmn_two")))
                .isTrue();
    }

    @Test
    void rotatedFromWhenTheNodeRegisteredAgainShouldBeFalse() {
        NodeIdentity registeredAgain = new NodeIdentity("node-00000000000000aa", "cmn_two", "http://c:9180");

        assertThat(LinkSupervisor.rotatedFrom(CONNECTED, registeredAgain)).isFalse();
        assertThat(LinkSupervisor.rotatedFrom(CONNECTED, CONNECTED)).isFalse();
        assertThat(LinkSupervisor.rotatedFrom(
                        CONNECTED, new NodeIdentity("node-00000000000000bb", "cmn_two", "http://c:9180", "cmn_one")))
                .isFalse();
    }
}
