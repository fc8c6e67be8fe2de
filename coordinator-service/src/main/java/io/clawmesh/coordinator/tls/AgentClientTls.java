package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's TLS client towards inbound agents (mutual TLS, SPEC §18, ADR 0012): it presents its own server
 * certificate of the mesh CA, which carries the TLS client authentication purpose that agents require, and trusts only
 * the mesh CA for the agents' node certificates (server authentication, host name checked as for any https server).
 * The certificate is read again after the renewal task replaced it, so new connections show the current one.
 */
public final class AgentClientTls {

    private AgentClientTls() {}

    /**
     * The client context, or {@code null} when the coordinator runs no CA of its own (plain HTTP to agents, as before).
     */
    public static @Nullable SSLContext context(TlsProperties properties, @Nullable Path dataDir) {
        if (!properties.ownCa() || dataDir == null) {
            return null;
        }
        TlsFiles files = TlsFiles.in(dataDir.toAbsolutePath());
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry(
                    "mesh-ca", MeshTrust.readCertificates(files.caCertificate()).get(0));
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ClientKey(files)}, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException("Cannot set up mutual TLS towards agents: " + ex.getMessage(), ex);
        }
    }

    /**
     * Apache HttpClient's TLS for pooled connections to agents with this context, or {@code null} for its default
     * (plain-HTTP agents). Sessions are resumed through the context's session cache, so a new pooled connection to a
     * known agent skips the full handshake.
     */
    public static @Nullable TlsSocketStrategy socketStrategy(@Nullable SSLContext context) {
        return (context != null)
                ? ClientTlsStrategyBuilder.create().setSslContext(context).buildClassic()
                : null;
    }

    /** The server certificate and key of the data dir, read again when the certificate file changes. */
    static final class ClientKey extends X509ExtendedKeyManager {

        private static final String ALIAS = "coordinator";

        private record Loaded(FileTime modified, PrivateKey key, X509Certificate[] chain) {}

        private final TlsFiles files;

        private volatile @Nullable Loaded loaded;

        ClientKey(TlsFiles files) {
            this.files = files;
        }

        private Loaded current() {
            Path certificate = this.files.serverCertificate();
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(certificate);
            } catch (IOException ex) {
                throw new IllegalStateException("Cannot read " + certificate + ": " + ex.getMessage(), ex);
            }
            Loaded known = this.loaded;
            if (known != null && known.modified().equals(modified)) {
                return known;
            }
            Loaded fresh = new Loaded(
                    modified,
                    TlsFiles.readKey(this.files.serverKey()),
                    MeshTrust.readCertificates(certificate).toArray(X509Certificate[]::new));
            this.loaded = fresh;
            return fresh;
        }

        /** The key type as TLS names it ("EC"), from the certificate: a key read from PEM may say "ECDSA". */
        private String algorithm() {
            return current().chain()[0].getPublicKey().getAlgorithm();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return algorithm().equals(keyType) ? new String[] {ALIAS} : new String[0];
        }

        @Override
        public @Nullable String chooseClientAlias(
                String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
            String algorithm = algorithm();
            for (String keyType : keyTypes) {
                if (algorithm.equals(keyType)) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public @Nullable String chooseEngineClientAlias(
                String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
            return chooseClientAlias(keyTypes, issuers, null);
        }

        @Override
        public X509Certificate @Nullable [] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? current().chain().clone() : null;
        }

        @Override
        public @Nullable PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? current().key() : null;
        }

        @Override
        public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return null; // a client only
        }

        @Override
        public @Nullable String chooseServerAlias(
                String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return null;
        }
    }
}
