package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The operator's CA key settings as the coordinator reads them before its web server exists: combinations that cannot
 * work stop the start with the reason, a good CA key leaves the own files as the served bundle.
 */
class TlsEnvironmentPostProcessorTests {

    @TempDir
    Path dir;

    @Test
    void aCaKeyWithoutOwnCertificateFilesShouldStopTheStart() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("mesh.data-dir", this.dir.toString())
                .withProperty("mesh.tls.enabled", "true")
                .withProperty("mesh.tls.ca-key-file", this.dir.resolve("ca.key").toString());

        assertThatIllegalStateException()
                .isThrownBy(() -> new TlsEnvironmentPostProcessor().postProcessEnvironment(environment, null))
                .withMessageContaining("goes with own certificate files");
        assertThat(this.dir.resolve("tls")).as("no mesh CA made").doesNotExist();
    }

    @Test
    void aCaKeyWithoutTheCaFileShouldStopTheStart() throws Exception {
        Own own = own();
        MockEnvironment withoutCaFile = new MockEnvironment()
                .withProperty("mesh.data-dir", this.dir.toString())
                .withProperty("mesh.tls.enabled", "true")
                .withProperty("mesh.tls.cert-file", own.certificate().toString())
                .withProperty("mesh.tls.key-file", own.key().toString())
                .withProperty("mesh.tls.ca-key-file", own.caKey().toString());

        assertThatIllegalStateException()
                .isThrownBy(() -> new TlsEnvironmentPostProcessor().postProcessEnvironment(withoutCaFile, null))
                .withMessageContaining("needs mesh.tls.ca-file");
    }

    @Test
    void aGoodCaKeyShouldServeTheOwnFiles() throws Exception {
        Own own = own();
        MockEnvironment environment =
                ownFiles(own).withProperty("mesh.tls.ca-key-file", own.caKey().toString());

        new TlsEnvironmentPostProcessor().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo(TlsEnvironmentPostProcessor.BUNDLE);
        assertThat(environment.getProperty("spring.ssl.bundle.pem.mesh.keystore.certificate"))
                .isEqualTo(own.certificate().toAbsolutePath().toString());
        assertThat(this.dir.resolve("tls")).as("no mesh CA made").doesNotExist();
    }

    private MockEnvironment ownFiles(Own own) {
        return new MockEnvironment()
                .withProperty("mesh.data-dir", this.dir.toString())
                .withProperty("mesh.tls.enabled", "true")
                .withProperty("mesh.tls.cert-file", own.certificate().toString())
                .withProperty("mesh.tls.key-file", own.key().toString())
                .withProperty("mesh.tls.ca-file", own.ca().toString());
    }

    private Own own() throws Exception {
        Path files = Files.createDirectories(this.dir.resolve("own"));
        CertificateAuthority authority = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(30));
        KeyPair server = CertificateAuthority.newKeyPair();
        Path certificate = Files.writeString(
                files.resolve("server.crt"),
                TlsFiles.pem(authority.issueServer(
                        server.getPublic(), "coordinator", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(1))));
        Path key = Files.writeString(files.resolve("server.key"), TlsFiles.pkcs8(server.getPrivate()));
        Path ca = Files.writeString(files.resolve("ca.crt"), TlsFiles.pem(authority.certificate()));
        Path caKey = Files.writeString(files.resolve("ca.key"), TlsFiles.pkcs8(authority.key()));
        Files.setPosixFilePermissions(caKey, PosixFilePermissions.fromString("rw-------"));
        return new Own(certificate, key, ca, caKey);
    }

    private record Own(Path certificate, Path key, Path ca, Path caKey) {}
}
