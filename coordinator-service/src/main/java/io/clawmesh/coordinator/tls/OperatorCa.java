package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own CA ({@code mesh.tls.ca-file} and {@code mesh.tls.ca-key-file}, ADR 0012), read and checked before
 * the coordinator signs anything with it: the key file is readable and not open to every user (no "others" bits;
 * group bits are named in a warning, since a Kubernetes Secret read through {@code fsGroup} needs 0440), the certificate is a CA certificate that may sign certificates and is valid now, the key is an EC or RSA key
 * and belongs to that certificate (it signs, the certificate's key verifies). Every failure is an
 * {@link IllegalStateException} that names the file and the reason, so the coordinator refuses to start with it.
 */
final class OperatorCa {

    private static final Logger logger = LoggerFactory.getLogger(OperatorCa.class);

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private static final Set<PosixFilePermission> GROUP = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);

    private OperatorCa() {}

    /** The CA of these files, checked as described above. */
    static CertificateAuthority load(Path caFile, Path keyFile, Instant now) {
        X509Certificate certificate = certificate(caFile, now);
        PrivateKey key = key(keyFile);
        checkPair(certificate, key, caFile, keyFile);
        return new CertificateAuthority(certificate, key);
    }

    /** The CA of the properties ({@code ca-file}, {@code ca-key-file}); both must be set. */
    static CertificateAuthority load(TlsProperties properties, Instant now) {
        if (properties.caFile() == null || properties.caKeyFile() == null) {
            throw new IllegalStateException(
                    "mesh.tls.ca-key-file (tls.ca_key_file) needs mesh.tls.ca-file (tls.ca_file): the CA certificate"
                            + " that key belongs to");
        }
        return load(properties.caFile(), properties.caKeyFile(), now);
    }

    private static X509Certificate certificate(Path caFile, Instant now) {
        if (!Files.isReadable(caFile)) {
            throw new IllegalStateException(
                    "mesh.tls.ca-file " + caFile + " cannot be read (missing or no permission)");
        }
        List<X509Certificate> certificates;
        try {
            certificates = MeshTrust.readCertificates(caFile);
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    "mesh.tls.ca-file " + caFile + " holds no PEM certificate: " + ex.getMessage(), ex);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("mesh.tls.ca-file " + caFile + " holds no PEM certificate");
        }
        X509Certificate certificate = certificates.get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalStateException("mesh.tls.ca-file " + caFile + ": " + subject(certificate)
                    + " is not a CA certificate (no basic constraints CA:true), it cannot sign node certificates");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length < 6 || !usage[5])) {
            throw new IllegalStateException("mesh.tls.ca-file " + caFile + ": " + subject(certificate)
                    + " may not sign certificates (its key usage lacks keyCertSign)");
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())
                || now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new IllegalStateException("mesh.tls.ca-file " + caFile + ": " + subject(certificate)
                    + " is valid only from " + certificate.getNotBefore().toInstant() + " to "
                    + certificate.getNotAfter().toInstant());
        }
        return certificate;
    }

    private static PrivateKey key(Path keyFile) {
        if (!Files.isReadable(keyFile)) {
            throw new IllegalStateException(
                    "mesh.tls.ca-key-file " + keyFile + " cannot be read (missing or no permission)");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(keyFile, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> permissions;
            try {
                permissions = posix.readAttributes().permissions();
            } catch (IOException ex) {
                throw new UncheckedIOException("Cannot read the mode of " + keyFile + ": " + ex.getMessage(), ex);
            }
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw new IllegalStateException("mesh.tls.ca-key-file " + keyFile + " has mode "
                        + PosixFilePermissions.toString(permissions)
                        + ": every local user could sign certificates every agent trusts; run chmod 600 " + keyFile);
            }
            if (permissions.stream().anyMatch(GROUP::contains)) {
                // a Kubernetes Secret volume read through fsGroup needs group read (0440): named, not refused
                logger.warn(
                        "mesh.tls.ca-key-file {} has mode {}: its group may sign certificates every agent trusts;"
                                + " chmod 600 unless that group is only this coordinator's",
                        keyFile,
                        PosixFilePermissions.toString(permissions));
            }
        }
        PrivateKey key;
        try {
            key = TlsFiles.readKey(keyFile);
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    "mesh.tls.ca-key-file " + keyFile
                            + " holds no unencrypted PEM private key (PKCS#8 or traditional): " + ex.getMessage(),
                    ex);
        }
        if (!CertificateAuthority.signs(key)) {
            throw new IllegalStateException("mesh.tls.ca-key-file " + keyFile + " holds a " + key.getAlgorithm()
                    + " key; the coordinator signs with EC or RSA CA keys");
        }
        return key;
    }

    private static void checkPair(X509Certificate certificate, PrivateKey key, Path caFile, Path keyFile) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            String algorithm = CertificateAuthority.signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException ex) {
            matches = false; // e.g. an RSA key for an EC certificate
        }
        if (!matches) {
            throw new IllegalStateException("mesh.tls.ca-key-file " + keyFile + " is not the key of the CA certificate "
                    + subject(certificate) + " in mesh.tls.ca-file " + caFile
                    + ": the key does not match the certificate");
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
