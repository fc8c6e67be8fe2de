package io.clawmesh.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

class ClawMeshConfigEnvironmentPostProcessorTests {

    @TempDir
    Path dir;

    @Test
    void postProcessShouldPutTheFileBelowFlagsAndAboveApplicationYml() throws IOException {
        Path file = Files.writeString(
                this.dir.resolve("claw-mesh.yaml"), "coordinator:\n  port: 9300\n  allow_private: true\n");
        StandardEnvironment environment = environment(file, "--server.port=9400");

        new ClawMeshConfigEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("server.port")).isEqualTo("9400");
        assertThat(environment.getProperty("mesh.security.allow-private")).isEqualTo("true");
        assertThat(environment
                        .getPropertySources()
                        .precedenceOf(environment
                                .getPropertySources()
                                .get(ClawMeshConfigEnvironmentPostProcessor.FILE_SOURCE)))
                .isLessThan(environment
                        .getPropertySources()
                        .precedenceOf(environment.getPropertySources().get("applicationYml")));
    }

    @Test
    void postProcessWhenFileIsBrokenShouldFailWithFileAndLine() throws IOException {
        Path file = Files.writeString(this.dir.resolve("claw-mesh.yaml"), "node:\n  name: [unclosed\n");
        StandardEnvironment environment = environment(file);

        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> new ClawMeshConfigEnvironmentPostProcessor()
                        .postProcessEnvironment(environment, new SpringApplication()))
                .withMessageStartingWith(file + ":");
        assertThat(new ConfigFileFailureAnalyzer()
                        .analyze(new IllegalStateException(new ConfigFileException(file, 2, "bad")))
                        .getAction())
                .contains("line 2");
    }

    @Test
    void postProcessWithoutRoleShouldLeaveTheEnvironmentAlone() {
        StandardEnvironment environment = new StandardEnvironment();
        int before = environment.getPropertySources().size();
        new ClawMeshConfigEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().size()).isEqualTo(before);
    }

    private StandardEnvironment environment(Path file, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "applicationYml",
                        Map.of(
                                "mesh.config.role",
                                "coordinator",
                                "mesh.config.file",
                                file.toString(),
                                "server.port",
                                "9180",
                                "mesh.security.allow-private",
                                "false")));
        return environment;
    }
}
