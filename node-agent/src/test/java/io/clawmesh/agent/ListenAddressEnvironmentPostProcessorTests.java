package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class ListenAddressEnvironmentPostProcessorTests {

    @Test
    void toServerPropertiesWhenOnlyPortShouldListenOnAllInterfaces() {
        assertThat(ListenAddressEnvironmentPostProcessor.toServerProperties(":9121"))
                .isEqualTo(Map.of("server.port", 9121));
    }

    @Test
    void toServerPropertiesWhenHostAndPortShouldSetBoth() {
        assertThat(ListenAddressEnvironmentPostProcessor.toServerProperties("127.0.0.1:9300"))
                .isEqualTo(Map.of("server.port", 9300, "server.address", "127.0.0.1"));
        assertThat(ListenAddressEnvironmentPostProcessor.toServerProperties("[::1]:9300"))
                .containsEntry("server.address", "::1");
    }

    @Test
    void toServerPropertiesWhenPortMissingShouldSayHowToWriteIt() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ListenAddressEnvironmentPostProcessor.toServerProperties("127.0.0.1"))
                .withMessageContaining(":9121");
    }

    @Test
    void postProcessEnvironmentWhenListenSetShouldOverrideServerPort() {
        MockEnvironment environment =
                new MockEnvironment().withProperty("server.port", "9121").withProperty("mesh.agent.listen", ":9400");

        new ListenAddressEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("server.port")).isEqualTo("9400");
        assertThat(environment.getProperty("server.address")).isNull();
    }
}
