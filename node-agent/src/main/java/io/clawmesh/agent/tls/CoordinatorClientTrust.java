package io.clawmesh.agent.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Which client certificates the agent's HTTPS server accepts: one issued by the mesh CA (the only trust anchor, the CA
 * that signed this node's own certificate) that carries the TLS client authentication extended key usage. The
 * coordinator's certificate carries it; node certificates carry server authentication only, so one node cannot call
 * another as if it were the coordinator. The JDK's PKIX trust manager makes both checks (chain, validity, key usage).
 * Before the node has a certificate, and so a CA, every client is refused.
 */
final class CoordinatorClientTrust extends X509ExtendedTrustManager {

    private volatile @Nullable X509ExtendedTrustManager delegate;

    /** Trusts this CA (and only it) from the next handshake on. */
    void trust(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("mesh-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    this.delegate = extended;
                    return;
                }
            }
            throw new IllegalStateException("The JDK offers no PKIX trust manager");
        } catch (GeneralSecurityException | java.io.IOException ex) {
            throw new IllegalStateException("Cannot trust the mesh CA: " + ex.getMessage(), ex);
        }
    }

    private X509ExtendedTrustManager delegate() throws CertificateException {
        X509ExtendedTrustManager now = this.delegate;
        if (now == null) {
            throw new CertificateException("this node has no certificate of the mesh CA yet");
        }
        return now;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        throw new CertificateException("the agent's server trusts client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the agent's server trusts client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent's server trusts client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509ExtendedTrustManager now = this.delegate;
        return (now != null)
                ? now.getAcceptedIssuers()
                : List.<X509Certificate>of().toArray(X509Certificate[]::new);
    }
}
