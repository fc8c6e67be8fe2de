package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code mesh.agent.install.*} as Boot binds it: pinned defaults, and unpinned or unsafe values refused by name. */
class InstallPropertiesTests {

    @Test
    void defaultsShouldPinBothRuntimesAndDownloadOverHttps() {
        InstallProperties properties = bind(Map.of());

        assertThat(properties.zeroclawReleaseUrl()).hasScheme("https");
        assertThat(properties.zeroclawVersion()).isEqualTo("v0.8.4");
        assertThat(properties.zeroclawSha256()).isNull();
        assertThat(properties.zeroclawAllowUnpinned()).isFalse();
        assertThat(properties.openclawVersion()).isEqualTo("2026.9.6");
        assertThat(properties.runtimeEnv()).isEmpty();
    }

    @Test
    void bindWhenTheOpenClawVersionIsATagOrRangeShouldFailNamingTheProperty() {
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("openclaw-version", "latest")))
                .havingRootCause()
                .withMessageContaining("mesh.agent.install.openclaw-version must be an exact version");
        assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("openclaw-version", "^2026.9.6")));
    }

    @Test
    void bindWhenTheZeroClawTagOrDigestIsMalformedShouldFail() {
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("zeroclaw-version", "../latest")))
                .havingRootCause()
                .withMessageContaining("mesh.agent.install.zeroclaw-version must be a release tag");
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("zeroclaw-sha256", "abc")))
                .havingRootCause()
                .withMessageContaining("64 hex digits");
        assertThat(bind(Map.of("zeroclaw-sha256", "AB".repeat(32))).zeroclawSha256())
                .isEqualTo("ab".repeat(32));
    }

    @Test
    void bindWhenRuntimeEnvNamesTheAgentsOwnVariablesShouldFail() {
        for (String entry :
                new String[] {"CLAW_MESH_TOKEN", "MESH_*", "mesh_agent_token", "SPRING_APPLICATION_JSON", "*"}) {
            assertThatExceptionOfType(BindException.class)
                    .as(entry)
                    .isThrownBy(() -> bind(Map.of("runtime-env", entry)))
                    .havingRootCause()
                    .withMessageContaining("mesh.agent.install.runtime-env must not pass");
        }
        assertThat(bind(Map.of("runtime-env", "OPENAI_API_KEY,ANTHROPIC_*")).runtimeEnv())
                .containsExactly("OPENAI_API_KEY", "ANTHROPIC_*");
    }

    private static InstallProperties bind(Map<String, String> values) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        values.forEach((key, value) -> source.put("mesh.agent.install." + key, value));
        return new Binder(source).bindOrCreate("mesh.agent.install", InstallProperties.class);
    }
}
