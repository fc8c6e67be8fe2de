package io.clawmesh.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClawMeshConfigFileTests {

    @TempDir
    Path dir;

    @Test
    void readWhenGoLayoutShouldMapOntoEachProgramsProperties() throws IOException {
        Path file = write("""
                # the Go README's example
                coordinator:
                  port: 9190
                  token: "your-secret-token"
                  allow_private: true  # allow private/loopback IPs
                node:
                  name: "my-node"
                  tags: ["gpu", "docker"]
                  gateway:
                    endpoint: 127.0.0.1:18789
                    timeout: 180
                """);
        ClawMeshConfigFile config = ClawMeshConfigFile.read(file);

        assertThat(config.entries().get("coordinator.port")).isEqualTo(new ClawMeshConfigFile.Entry("9190", 3));
        assertThat(ConfigMapping.fromFile(config, ConfigRole.COORDINATOR))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "server.port", "9190",
                        "mesh.security.token", "your-secret-token",
                        "mesh.security.allow-private", "true"));
        assertThat(ConfigMapping.fromFile(config, ConfigRole.AGENT))
                .containsEntry("mesh.agent.name", "my-node")
                .containsEntry("mesh.agent.tags", "gpu,docker")
                .containsEntry("mesh.agent.gateway-endpoint", "127.0.0.1:18789")
                .containsEntry("mesh.agent.gateway-timeout", "180s")
                .containsEntry("mesh.agent.token", "your-secret-token")
                .doesNotContainKey("server.port");
        assertThat(ConfigMapping.fromFile(config, ConfigRole.CLI))
                .containsEntry("mesh.cli.coordinator-port", "9190")
                .containsEntry("mesh.cli.token", "your-secret-token");
    }

    @Test
    void readWhenSpringSectionsShouldPassThemThrough() throws IOException {
        Path file = write("""
                mesh:
                  health:
                    heartbeat-timeout: 45s
                server:
                  address: 127.0.0.1
                """);
        assertThat(ConfigMapping.fromFile(ClawMeshConfigFile.read(file), ConfigRole.COORDINATOR))
                .containsEntry("mesh.health.heartbeat-timeout", "45s")
                .containsEntry("server.address", "127.0.0.1");
    }

    @Test
    void readWhenYamlIsBrokenShouldNameFileAndLine() throws IOException {
        Path file = write("""
                coordinator:
                  port: 9180
                  token: "unterminated
                node:
                  name: x
                """);
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .satisfies((ex) -> assertThat(ex.line()).isBetween(3, 6))
                .withMessageStartingWith(file + ":")
                .withMessageContaining("not valid YAML");
    }

    @Test
    void readWhenIndentationIsWrongShouldNameTheLine() throws IOException {
        Path file = write("coordinator:\n  port: 9180\n token: x\n");
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .withMessageStartingWith(file + ":3: not valid YAML");
    }

    @Test
    void readWhenKeyIsMisspeltShouldNameItTheLineAndTheKnownKeys() throws IOException {
        Path file = write("coordinator:\n  port: 9180\n  alow_private: true\n");
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .withMessageStartingWith(file + ":3: unknown key 'coordinator.alow_private'")
                .withMessageContaining("coordinator.allow_private");
    }

    @Test
    void readWhenSectionIsUnknownShouldSaySo() throws IOException {
        Path file = write("coordinater:\n  port: 9180\n");
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .withMessageStartingWith(file + ":1: unknown section 'coordinater'");
    }

    @Test
    void readWhenFileIsABinaryShouldRefuseItInsteadOfGuessing() throws IOException {
        Path file = this.dir.resolve("claw-mesh.yaml");
        Files.write(file, new byte[] {'#', '\n', 0x7f, 'E', 'L', 'F', (byte) 0xc3, 0x28, 0, 0});
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .withMessageStartingWith(file + ":2: not a UTF-8 text file");
    }

    @Test
    void readWhenTopLevelIsNotAMappingShouldSaySo() throws IOException {
        Path file = write("- just\n- a list\n");
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() -> ClawMeshConfigFile.read(file))
                .withMessageContaining(":1: expected sections");
    }

    @Test
    void readWhenSectionsAreAllCommentedOutShouldAcceptThem() throws IOException {
        Path file = write("coordinator:\n  port: 9180\nnode:\n  # name: x\n  gateway:\n    # endpoint: y\ntls:\n");
        assertThat(ClawMeshConfigFile.read(file).entries()).containsOnlyKeys("coordinator.port");
    }

    @Test
    void readWhenEmptyShouldHaveNoEntries() throws IOException {
        assertThat(ClawMeshConfigFile.read(write("# nothing yet\n")).entries()).isEmpty();
    }

    @Test
    void locateShouldPreferTheWorkingDirThenHome() throws IOException {
        Path work = Files.createDirectories(this.dir.resolve("work"));
        Path home = Files.createDirectories(this.dir.resolve("home"));
        if (!Files.exists(Path.of("/etc/claw-mesh"))) {
            assertThat(ClawMeshConfigFile.locate(null, work, home)).isEmpty();
        }
        Path inHome = Files.writeString(
                Files.createDirectories(home.resolve(".claw-mesh")).resolve("claw-mesh.yaml"), "node: {}\n");
        assertThat(ClawMeshConfigFile.locate(null, work, home)).contains(inHome);
        Path inWork = Files.writeString(work.resolve("claw-mesh.yml"), "node: {}\n");
        assertThat(ClawMeshConfigFile.locate(null, work, home)).contains(inWork);
        assertThat(ClawMeshConfigFile.locate(inHome.toString(), work, home)).contains(inHome);
    }

    @Test
    void locateWhenExplicitFileIsMissingShouldFail() {
        assertThatExceptionOfType(ConfigFileException.class)
                .isThrownBy(() ->
                        ClawMeshConfigFile.locate(this.dir.resolve("nope.yaml").toString(), this.dir, this.dir))
                .withMessageContaining("no such config file");
    }

    @Test
    void fromEnvironmentShouldReadSystematicAndGoNames() {
        Map<String, String> env = Map.of(
                "CLAW_MESH_TOKEN", "short",
                "CLAW_MESH_COORDINATOR_PORT", "9300",
                "CLAW_MESH_NODE_TAGS", "a,b",
                "CLAW_MESH_AGENT_JVM_OPTS", "-Xmx1g");
        assertThat(ConfigMapping.fromEnvironment(env, ConfigRole.COORDINATOR))
                .containsExactlyInAnyOrderEntriesOf(Map.of("mesh.security.token", "short", "server.port", "9300"));
        assertThat(ConfigMapping.fromEnvironment(env, ConfigRole.AGENT))
                .containsExactlyInAnyOrderEntriesOf(Map.of("mesh.agent.token", "short", "mesh.agent.tags", "a,b"));
        assertThat(ConfigMapping.fromEnvironment(
                        Map.of("CLAW_MESH_TOKEN", "short", "CLAW_MESH_COORDINATOR_TOKEN", "long"), ConfigRole.CLI))
                .containsEntry("mesh.cli.token", "long");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(this.dir.resolve("claw-mesh.yaml"), yaml);
    }
}
