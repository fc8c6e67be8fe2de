package io.clawmesh.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * How a client (agent or CLI) trusts the coordinator over https: by a pinned CA fingerprint, by a CA file, or by both
 * (the file's CA must then have the fingerprint). Without either it uses the JDK's trust store, as for a coordinator
 * behind a proxy with a public certificate.
 */
public final class MeshTrust {

    private MeshTrust() {}

    /**
     * The client TLS context for these settings, or {@code null} for the JDK's default trust.
     *
     * @throws IllegalArgumentException for a malformed fingerprint, an unreadable CA file, or a file whose CA does not
     *     have the pinned fingerprint
     */
    public static @Nullable SSLContext clientContext(@Nullable String fingerprint, @Nullable Path caFile) {
        boolean pinned = fingerprint != null && !fingerprint.isBlank();
        if (!pinned && caFile == null) {
            return null;
        }
        TrustManager trust;
        if (caFile != null) {
            List<X509Certificate> cas = readCertificates(caFile);
            if (pinned) {
                CaFingerprint expected = CaFingerprint.parse(fingerprint);
                if (cas.stream().noneMatch(expected::matches)) {
                    throw new IllegalArgumentException("the CA file " + caFile + " holds "
                            + CaFingerprint.of(cas.get(0)) + ", not the pinned " + expected);
                }
            }
            trust = PinnedTrustManager.trusting(cas.toArray(X509Certificate[]::new));
        } else {
            trust = new PinnedTrustManager(CaFingerprint.parse(fingerprint));
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot set up TLS: " + ex.getMessage(), ex);
        }
    }

    /**
     * The certificates of a PEM file.
     *
     * @throws IllegalArgumentException when it cannot be read or holds none
     */
    public static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the CA file " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("cannot read the CA file " + file + ": " + ex.getMessage(), ex);
        }
    }
}
