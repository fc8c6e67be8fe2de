package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificatesTests {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void ensureWhenNothingExistsShouldCreateACaWithAPrivateKeyAndAServerCertificateSignedByIt() throws Exception {
        ServerCertificates certificates = certificates(NOW, "mesh.example.org");

        assertThat(certificates.ensure()).isTrue();

        TlsFiles files = certificates.files();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.serverKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())))
                .isEqualTo("rwx------");
        X509Certificate ca = MeshTrust.readCertificates(files.caCertificate()).get(0);
        List<X509Certificate> chain = MeshTrust.readCertificates(files.serverCertificate());
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca);
        chain.get(0).verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
        assertThat(TlsFiles.alternativeNames(chain.get(0)))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "mesh.example.org");
        assertThat(chain.get(0).getExtendedKeyUsage())
                .contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
        assertThat(CaFingerprint.of(ca).toString()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void ensureWhenTheCertificateIsFreshShouldKeepIt() throws Exception {
        certificates(NOW, "a.example").ensure();
        byte[] before = Files.readAllBytes(TlsFiles.in(this.dataDir).serverCertificate());

        assertThat(certificates(NOW.plus(Duration.ofDays(10)), "a.example").ensure())
                .isFalse();

        assertThat(Files.readAllBytes(TlsFiles.in(this.dataDir).serverCertificate()))
                .isEqualTo(before);
    }

    @Test
    void ensureWhenLessThanAThirdOfTheLifetimeIsLeftShouldRenewUnderTheSameCa() throws Exception {
        certificates(NOW, "a.example").ensure();
        TlsFiles files = TlsFiles.in(this.dataDir);
        X509Certificate first = files.serverCertificateOrNull();
        byte[] ca = Files.readAllBytes(files.caCertificate());

        assertThat(certificates(NOW.plus(Duration.ofDays(61)), "a.example").ensure())
                .isTrue();

        X509Certificate second = files.serverCertificateOrNull();
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
        assertThat(Files.readAllBytes(files.caCertificate())).isEqualTo(ca);
    }

    @Test
    void ensureWhenANewHostNameIsConfiguredShouldIssueACertificateThatNamesIt() throws Exception {
        certificates(NOW, "a.example").ensure();

        assertThat(certificates(NOW, "b.example").ensure()).isTrue();

        assertThat(TlsFiles.alternativeNames(TlsFiles.in(this.dataDir).serverCertificateOrNull()))
                .contains("b.example");
    }

    private ServerCertificates certificates(Instant now, String hostname) {
        TlsProperties properties = new TlsProperties(
                true,
                null,
                null,
                null,
                null,
                List.of(hostname),
                Duration.ofDays(3650),
                Duration.ofDays(90),
                Duration.ofHours(1),
                Duration.ofDays(30));
        return new ServerCertificates(TlsFiles.in(this.dataDir), properties, Clock.fixed(now, ZoneOffset.UTC));
    }
}
