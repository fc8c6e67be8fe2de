package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's CA files ({@code mesh.tls.ca-file}, {@code ca-key-file}) as the coordinator checks them before it
 * signs with them: an RSA or EC CA whose key matches is used, anything else is refused with the reason.
 */
class OperatorCaTests {

    @TempDir
    Path dir;

    @Test
    void anRsaCaWithItsKeyShouldSignNodeAndClientCertificates() throws Exception {
        KeyPair rsa = rsa();
        X509Certificate ca = selfSigned(rsa, "CN=operator RSA CA", true, "SHA256withRSA");
        Path caFile = write("ca.crt", TlsFiles.pem(ca));
        Path keyFile = writeSecret("ca.key", TlsFiles.pkcs8(rsa.getPrivate()), "rw-------");

        CertificateAuthority authority = OperatorCa.load(caFile, keyFile, Instant.now());
        KeyPair node = CertificateAuthority.newKeyPair();
        X509Certificate issued = authority.issueNode(
                node.getPublic(), "node-1", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(1));
        X509Certificate client =
                authority.issueClient(node.getPublic(), "claw-mesh coordinator", Instant.now(), Duration.ofDays(1));

        issued.verify(ca.getPublicKey());
        client.verify(ca.getPublicKey());
        assertThat(issued.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(issued.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getSubjectAlternativeNames()).isNull();
    }

    @Test
    void aKeyOfAnotherCaShouldBeRefusedNamingBothFiles() throws Exception {
        CertificateAuthority one = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(30));
        CertificateAuthority other = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(30));
        Path caFile = write("ca.crt", TlsFiles.pem(one.certificate()));
        Path keyFile = writeSecret("ca.key", TlsFiles.pkcs8(other.key()), "rw-------");
        Path rsaKey = writeSecret("rsa.key", TlsFiles.pkcs8(rsa().getPrivate()), "rw-------");

        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, keyFile, Instant.now()))
                .withMessageContaining("is not the key of the CA certificate")
                .withMessageContaining(keyFile.toString())
                .withMessageContaining(caFile.toString());
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, rsaKey, Instant.now()))
                .withMessageContaining("the key does not match the certificate");
    }

    @Test
    void aKeyFileEveryUserMayReadOrWriteShouldBeRefusedAGroupReadableOneUsed() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(30));
        Path caFile = write("ca.crt", TlsFiles.pem(ca.certificate()));
        Path keyFile = writeSecret("ca.key", TlsFiles.pkcs8(ca.key()), "rw-r--r--");
        Path worldWritable = writeSecret("ww.key", TlsFiles.pkcs8(ca.key()), "rw-----w-");
        Path readOnly = writeSecret("ro.key", TlsFiles.pkcs8(ca.key()), "r--------");
        Path groupReadable = writeSecret("group.key", TlsFiles.pkcs8(ca.key()), "r--r-----");

        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, keyFile, Instant.now()))
                .withMessageContaining("has mode rw-r--r--")
                .withMessageContaining("chmod 600");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, worldWritable, Instant.now()))
                .withMessageContaining("has mode rw-----w-");
        assertThat(OperatorCa.load(caFile, readOnly, Instant.now()).certificate())
                .isEqualTo(ca.certificate());
        // a Kubernetes Secret read through fsGroup (0440): warned about, not refused
        assertThat(OperatorCa.load(caFile, groupReadable, Instant.now()).certificate())
                .isEqualTo(ca.certificate());
    }

    @Test
    void missingOrWrongFilesShouldBeRefusedWithTheReason() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(30));
        Path caFile = write("ca.crt", TlsFiles.pem(ca.certificate()));
        Path keyFile = writeSecret("ca.key", TlsFiles.pkcs8(ca.key()), "rw-------");
        Path garbageKey = writeSecret("garbage.key", "not a key", "rw-------");
        Path garbageCa = write("garbage.crt", "not a certificate");
        KeyPair leafKey = CertificateAuthority.newKeyPair();
        X509Certificate leaf =
                ca.issueServer(leafKey.getPublic(), "server", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(1));
        Path leafFile = write("leaf.crt", TlsFiles.pem(leaf));
        Path leafKeyFile = writeSecret("leaf.key", TlsFiles.pkcs8(leafKey.getPrivate()), "rw-------");

        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, this.dir.resolve("missing.key"), Instant.now()))
                .withMessageContaining("cannot be read");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(this.dir.resolve("missing.crt"), keyFile, Instant.now()))
                .withMessageContaining("cannot be read");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, garbageKey, Instant.now()))
                .withMessageContaining("holds no unencrypted PEM private key");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(garbageCa, keyFile, Instant.now()))
                .withMessageContaining("holds no PEM certificate");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(leafFile, leafKeyFile, Instant.now()))
                .withMessageContaining("is not a CA certificate");
        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, keyFile, Instant.now().plus(Duration.ofDays(60))))
                .withMessageContaining("is valid only from");
    }

    @Test
    void aCaCertificateThatMayNotSignCertificatesShouldBeRefused() throws Exception {
        KeyPair pair = CertificateAuthority.newKeyPair();
        X509Certificate noCertSign = selfSigned(pair, "CN=no certSign", false, "SHA256withECDSA");
        Path caFile = write("ca.crt", TlsFiles.pem(noCertSign));
        Path keyFile = writeSecret("ca.key", TlsFiles.pkcs8(pair.getPrivate()), "rw-------");

        assertThatIllegalStateException()
                .isThrownBy(() -> OperatorCa.load(caFile, keyFile, Instant.now()))
                .withMessageContaining("keyCertSign");
    }

    @Test
    void theCoordinatorsClientCertificateShouldBeReissuedTwoThirdsIntoItsLife() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(365));
        Instant start = Instant.now();
        java.util.concurrent.atomic.AtomicReference<Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(start);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        AgentClientTls.IssuedClientCertificate client =
                new AgentClientTls.IssuedClientCertificate(ca, Duration.ofDays(90), clock);

        AgentClientTls.ClientCredential first = client.current();
        now.set(start.plus(Duration.ofDays(59)));
        AgentClientTls.ClientCredential before = client.current();
        now.set(start.plus(Duration.ofDays(61)));
        AgentClientTls.ClientCredential renewed = client.current();

        first.chain()[0].verify(ca.certificate().getPublicKey());
        assertThat(first.chain()).hasSize(2);
        assertThat(first.chain()[1]).isEqualTo(ca.certificate());
        assertThat(first.chain()[0].getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(first.chain()[0].getSubjectX500Principal().getName()).isEqualTo("CN=claw-mesh coordinator");
        assertThat(before).isSameAs(first);
        assertThat(renewed.chain()[0].getSerialNumber()).isNotEqualTo(first.chain()[0].getSerialNumber());
        assertThat(renewed.key()).isNotEqualTo(first.key());
        renewed.chain()[0].checkValidity(java.util.Date.from(start.plus(Duration.ofDays(100))));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A CA certificate made with BouncyCastle directly, as another PKI would (RSA, or without keyCertSign). */
    private static X509Certificate selfSigned(KeyPair pair, String subject, boolean certSign, String algorithm)
            throws Exception {
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofMinutes(1))),
                        Date.from(now.plus(Duration.ofDays(30))),
                        name,
                        pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(certSign ? (KeyUsage.keyCertSign | KeyUsage.cRLSign) : KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(this.dir.resolve(name), text);
    }

    private Path writeSecret(String name, String text, String mode) throws Exception {
        Path file = Files.writeString(this.dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
