package io.clawmesh.common.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Trusts a server only when its chain contains the CA certificate with the pinned fingerprint and is valid under that
 * CA, host name included. The check runs inside the TLS handshake, so nothing (no request, no token) is sent to a
 * server that fails it. A mismatch names both fingerprints: the pinned one and the one the server showed.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {

    private final CaFingerprint pinned;

    private volatile @Nullable X509ExtendedTrustManager delegate;

    public PinnedTrustManager(CaFingerprint pinned) {
        this.pinned = pinned;
    }

    /** The pinned fingerprint. */
    public CaFingerprint pinned() {
        return this.pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate(chain).checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate(chain).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate(chain).checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a pinned client trusts servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a pinned client trusts servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinned client trusts servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private X509ExtendedTrustManager delegate(X509Certificate[] chain) throws CertificateException {
        X509ExtendedTrustManager current = this.delegate;
        X509Certificate ca = Arrays.stream(chain)
                .filter(this.pinned::matches)
                .findFirst()
                .orElseThrow(() -> new CertificateException(mismatch(chain)));
        if (current == null) {
            current = trusting(ca);
            this.delegate = current;
        }
        return current;
    }

    private String mismatch(X509Certificate[] chain) {
        String shown = (chain.length == 0)
                ? "no certificate"
                : Arrays.stream(chain)
                        .skip(Math.max(0, chain.length - 1))
                        .map((certificate) -> CaFingerprint.of(certificate).toString())
                        .collect(Collectors.joining());
        return "the coordinator's CA fingerprint is " + shown + ", not the pinned " + this.pinned
                + ": nothing was sent (check --ca-fingerprint against what claw-mesh up printed)";
    }

    /** A standard PKIX trust manager (host name check included) that trusts exactly this CA. */
    public static X509ExtendedTrustManager trusting(X509Certificate... cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                store.setCertificateEntry("ca-" + i, cas[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("The JDK has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException ex) {
            throw new IllegalStateException("Cannot build a trust store for the mesh CA", ex);
        }
    }
}
