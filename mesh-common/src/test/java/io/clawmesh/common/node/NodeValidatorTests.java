package io.clawmesh.common.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeValidatorTests {

    @Test
    void capabilitiesWhenAbsentShouldBeNone() {
        assertThat(NodeValidator.capabilities(null)).isEqualTo(Capabilities.none());
    }

    @Test
    void capabilitiesShouldDeduplicateTagsAndKeepTheRest() {
        Capabilities checked = NodeValidator.capabilities(
                new Capabilities("linux", "amd64", true, 64, List.of("gpu", "gpu", "docker"), List.of("code")));
        assertThat(checked.tags()).containsExactly("gpu", "docker");
        assertThat(checked.os()).isEqualTo("linux");
        assertThat(checked.memoryGb()).isEqualTo(64);
    }

    @Test
    void capabilitiesWhenOsCarriesAControlCharacterShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> NodeValidator.capabilities(
                        new Capabilities("linux\nforged", "amd64", false, 1, List.of(), List.of())))
                .withMessageContaining("capabilities.os");
    }

    @Test
    void capabilitiesWhenMemoryNegativeShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() ->
                        NodeValidator.capabilities(new Capabilities("linux", "amd64", false, -1, List.of(), List.of())))
                .withMessageContaining("capabilities.memory_gb");
    }

    @Test
    void runtimeWhenAbsentShouldBeTheFallbackAndWhenKindBlankShouldRefuse() {
        assertThat(NodeValidator.runtime(null, RuntimeInfo.echo())).isEqualTo(RuntimeInfo.echo());
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> NodeValidator.runtime(new RuntimeInfo(" ", null, true), RuntimeInfo.echo()))
                .withMessageContaining("runtime.kind");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(
                        () -> NodeValidator.runtime(new RuntimeInfo("echo", "1\u001b[2J", true), RuntimeInfo.echo()))
                .withMessageContaining("runtime.version");
    }

    @Test
    void capacityShouldDefaultAndStayWithinItsBounds() {
        assertThat(NodeValidator.capacity(null, 4, 100)).isEqualTo(4);
        assertThat(NodeValidator.capacity(100, 4, 100)).isEqualTo(100);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> NodeValidator.capacity(101, 4, 100))
                .withMessage("capacity must be between 1 and 100, not 101");
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> NodeValidator.capacity(0, 4, 100));
    }

    @Test
    void inflightShouldKeepTheCurrentWhenAbsentAndRefuseNegative() {
        assertThat(NodeValidator.inflight(null, 3)).isEqualTo(3);
        assertThat(NodeValidator.inflight(5, 3)).isEqualTo(5);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> NodeValidator.inflight(-1, 3))
                .withMessageContaining("inflight");
    }

    @Test
    void heartbeatStatusWhenOfflineShouldPointToDeregistration() {
        NodeValidator.heartbeatStatus(NodeStatus.BUSY);
        NodeValidator.heartbeatStatus(null);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> NodeValidator.heartbeatStatus(NodeStatus.OFFLINE))
                .withMessageContaining("deregistering");
    }
}
