package io.clawmesh.cli.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpSettingsTests {

    @TempDir
    Path home;

    @Test
    void printShouldGiveTheLauncherTheFileAndEnvironmentValuesAsShellAssignments() throws IOException {
        Path file = Files.writeString(
                this.home.resolve("c.yaml"),
                "coordinator:\n  port: 9300\n  token: \"it's secret\"\n  data_dir: /srv/mesh\n");
        CliEnvironment environment =
                new CliEnvironment(Map.of("CLAW_MESH_COORDINATOR_PORT", "9400"), this.home, this.home);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = UpSettings.print(
                new String[] {UpSettings.VERB, "--config", file.toString()},
                environment,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("cfg_port='9400'\ncfg_data_dir='/srv/mesh'\ncfg_token='it'\\''s secret'\ncfg_join_token=''\n"
                        + "cfg_scheme='http'\ncfg_cert_file=''\ncfg_ca_file=''\ncfg_ca_key_file=''\n");
    }

    @Test
    void printShouldGiveTheLauncherTheOwnCertificateFilesAndTheCaKey() throws IOException {
        Path file = Files.writeString(
                this.home.resolve("c.yaml"),
                "tls:\n  enabled: true\n  cert_file: /etc/m/tls.crt\n  key_file: /etc/m/tls.key\n"
                        + "  ca_file: /etc/m/ca.crt\n  ca_key_file: /etc/m/ca.key\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = UpSettings.print(
                new String[] {UpSettings.VERB, "--config", file.toString()},
                new CliEnvironment(Map.of(), this.home, this.home),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("cfg_scheme='https'\n")
                .contains("cfg_cert_file='/etc/m/tls.crt'\n")
                .contains("cfg_ca_file='/etc/m/ca.crt'\n")
                .contains("cfg_ca_key_file='/etc/m/ca.key'\n");
    }

    @Test
    void printWhenTheFileIsBrokenShouldExitTwoNamingTheLine() throws IOException {
        Path file = Files.writeString(this.home.resolve("c.yaml"), "coordinator:\n  port: [\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = UpSettings.print(
                new String[] {UpSettings.VERB, "--config", file.toString()},
                new CliEnvironment(Map.of(), this.home, this.home),
                System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("claw-mesh: " + file + ":");
    }
}
