package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CapacityGateTests {

    @Test
    void tryEnterWhenAllSlotsTakenShouldRefuseUntilOneIsGivenBack() {
        CapacityGate gate = new CapacityGate(2);

        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isFalse();
        assertThat(gate.inflight()).isEqualTo(2);

        gate.exit();

        assertThat(gate.inflight()).isEqualTo(1);
        assertThat(gate.tryEnter()).isTrue();
    }

    @Test
    void createWhenCapacityBelowOneShouldFailNamingTheProperty() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CapacityGate(0))
                .withMessageContaining("mesh.agent.capacity");
    }
}
