package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.config.ClawMeshConfigFile;
import io.clawmesh.common.config.ConfigMapping;
import io.clawmesh.common.config.ConfigRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandsTests extends CliTestSupport {

    @TempDir
    Path dir;

    @Test
    void initShouldWriteACommentedPrivateFileWithARandomToken() throws IOException {
        Path file = this.dir.resolve("claw-mesh.yaml");

        Result result = runExactly("init --path " + file);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("wrote " + file + " (mode 0600) with a new random operator token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text)
                .contains("# Operator token")
                .contains("allow_private: false")
                .doesNotContain("@token@");
        String token = (String) ConfigMapping.fromFile(ClawMeshConfigFile.read(file), ConfigRole.COORDINATOR)
                .get("mesh.security.token");
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        runExactly("init --force --path " + file);
        assertThat(ConfigMapping.fromFile(ClawMeshConfigFile.read(file), ConfigRole.CLI)
                        .get("mesh.cli.token"))
                .isNotEqualTo(token);
    }

    @Test
    void initWhenTheFileExistsShouldRefuseAndKeepIt() throws IOException {
        Path file = Files.writeString(this.dir.resolve("claw-mesh.yaml"), "coordinator:\n  port: 9999\n");

        Result result = runExactly("init --path " + file);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(file + " exists").contains("--force");
        assertThat(Files.readString(file)).isEqualTo("coordinator:\n  port: 9999\n");
    }

    @Test
    void initWithGivenTokenAndDefaultPathShouldWriteIntoHome() throws IOException {
        Result result = runExactly("init --token my-own-token --force");

        Path file = HOME.resolve(".claw-mesh/claw-mesh.yaml");
        assertThat(result.out())
                .startsWith("wrote " + file + " (mode 0600) with the given operator token")
                .contains("next: claw-mesh up ");
        assertThat(Files.readString(file)).contains("token: \"my-own-token\"");
        Files.delete(file);
    }
}
