package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionCommandsTests {

    @Test
    void versionWhenRunFromClassesShouldNameTheCliAndSayDevelopmentBuild() {
        assertThat(new VersionCommands().version()).isEqualTo("claw-mesh CLI development build");
    }
}
