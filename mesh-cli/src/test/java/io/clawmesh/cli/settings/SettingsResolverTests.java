package io.clawmesh.cli.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingsResolverTests {

    @Test
    void localCoordinatorsShouldBeRecognised() {
        assertThat(SettingsResolver.isLocal(java.net.URI.create("http://127.0.0.1:9180")))
                .isTrue();
        assertThat(SettingsResolver.isLocal(java.net.URI.create("http://localhost:9180")))
                .isTrue();
        assertThat(SettingsResolver.isLocal(java.net.URI.create("http://[::1]:9180")))
                .isTrue();
        assertThat(SettingsResolver.isLocal(java.net.URI.create("http://192.168.1.10:9180")))
                .isFalse();
        assertThat(SettingsResolver.isLocal(java.net.URI.create("http://mesh.example:9180")))
                .isFalse();
    }
}
