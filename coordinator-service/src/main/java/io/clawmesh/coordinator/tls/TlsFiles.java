package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The mesh CA's files under {@code <data-dir>/tls}: {@code ca.crt}, {@code ca.key} (mode 0600), and the coordinator's
 * {@code server.crt} (its certificate, then the CA's, so a client can pin the CA from the handshake) and
 * {@code server.key} (0600). Files are replaced by an atomic rename, so a reader (Boot's SSL bundle reload) never sees
 * half of one.
 *
 * @param dir the directory that holds them
 */
public record TlsFiles(Path dir) {

    /** The files in {@code <data-dir>/tls}. */
    public static TlsFiles in(Path dataDir) {
        return new TlsFiles(dataDir.resolve("tls"));
    }

    public Path caCertificate() {
        return this.dir.resolve("ca.crt");
    }

    public Path caKey() {
        return this.dir.resolve("ca.key");
    }

    public Path serverCertificate() {
        return this.dir.resolve("server.crt");
    }

    public Path serverKey() {
        return this.dir.resolve("server.key");
    }

    /** The CA of these files, created (valid for {@code lifetime}) when there is none yet. */
    public CertificateAuthority loadOrCreateAuthority(Instant now, Duration lifetime) {
        if (Files.exists(caCertificate()) && Files.exists(caKey())) {
            return new CertificateAuthority(
                    MeshTrust.readCertificates(caCertificate()).get(0), readKey(caKey()));
        }
        CertificateAuthority authority = CertificateAuthority.create("claw-mesh CA", now, lifetime);
        writePrivate(caKey(), pkcs8(authority.key()));
        writePublic(caCertificate(), pem(authority.certificate()));
        return authority;
    }

    /** The coordinator's current server certificate, or {@code null} when there is none. */
    public @org.jspecify.annotations.Nullable X509Certificate serverCertificateOrNull() {
        if (!Files.exists(serverCertificate()) || !Files.exists(serverKey())) {
            return null;
        }
        return MeshTrust.readCertificates(serverCertificate()).get(0);
    }

    /** Writes a new server key and certificate chain (the key first: a reload sees either both old or the new key). */
    public void writeServer(KeyPair pair, X509Certificate certificate, X509Certificate ca) {
        writePrivate(serverKey(), pkcs8(pair.getPrivate()));
        writePublic(serverCertificate(), pem(certificate) + pem(ca));
    }

    /** A private key as PKCS#8 PEM ({@code PRIVATE KEY}), which Boot's PEM bundles and OpenSSL both read. */
    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    static PrivateKey readKey(Path file) {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalStateException(file + " holds no private key");
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the key " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void writePrivate(Path file, String text) {
        write(file, text, true);
    }

    private void writePublic(Path file, String text) {
        write(file, text, false);
    }

    private void write(Path file, String text, boolean secret) {
        try {
            io.clawmesh.coordinator.DataDirectory.createOwnerOnly(this.dir);
            Path temporary = Files.createTempFile(this.dir, "." + file.getFileName(), ".tmp");
            if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // createTempFile makes 0600; a certificate may be read by anyone who may enter the dir
                Files.setPosixFilePermissions(
                        temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            }
            Files.writeString(temporary, text);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** The names in a certificate's subject alternative names, for comparing with what it should hold. */
    static List<String> alternativeNames(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().map((entry) -> String.valueOf(entry.get(1))).toList();
        } catch (java.security.cert.CertificateParsingException ex) {
            return List.of();
        }
    }
}
