package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LocalNodeTests {

    @Test
    void fromWhenNameUnsetShouldUseTheSanitisedHostNameAndDeriveTheDataDir() {
        LocalNode node = LocalNode.from(properties(null), Map.of("HOSTNAME", "Mac Mini (2)"), Path.of("/home/ada"));

        assertThat(node.name()).isEqualTo("mac-mini--2");
        assertThat(Names.isValid(node.name())).isTrue();
        assertThat(node.dataDir()).isEqualTo(Path.of("/home/ada/.claw-mesh/agent-mac-mini--2"));
    }

    @Test
    void fromWhenNameInvalidShouldFailNamingTheProperty() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> LocalNode.from(properties("bad name"), Map.of(), Path.of("/home/ada")))
                .withMessageContaining("mesh.agent.name");
    }

    @Test
    void sanitizeShouldProduceValidNamesFromAnyHostName() {
        assertThat(LocalNode.sanitize("-weird_host.local.")).isEqualTo("weird_host.local");
        assertThat(LocalNode.sanitize("x".repeat(100))).hasSize(63);
        assertThat(LocalNode.sanitize("***")).isEqualTo("node");
        assertThat(LocalNode.sanitize(null)).isEqualTo("node");
    }

    private static AgentProperties properties(@Nullable String name) {
        return new AgentProperties(
                "http://127.0.0.1:9180",
                name,
                List.of(),
                null,
                null,
                null,
                null,
                4,
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                false,
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                null,
                null,
                null,
                "auto",
                false,
                false,
                null,
                null,
                null,
                null,
                null,
                Duration.ofHours(1));
    }
}
