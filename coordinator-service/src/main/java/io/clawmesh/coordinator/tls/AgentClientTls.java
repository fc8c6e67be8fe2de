package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's TLS client towards inbound agents (mutual TLS, SPEC §18, ADR 0012): it presents its own server
 * certificate of the mesh CA, which carries the TLS client authentication purpose that agents require (with the
 * operator's CA: a client certificate it issues from that CA), and trusts only that CA for the agents' node
 * certificates (server authentication, host name checked as for any https server,
 * and the node id the certificate was issued for checked against the node the coordinator meant).
 * The certificate is read again after the renewal task replaced it, so new connections show the current one.
 */
public final class AgentClientTls {

    /** The request context attribute that names the node whose agent a connection must reach. */
    static final String EXPECTED_NODE = "io.clawmesh.coordinator.tls.expected-node";

    /** TLS connections to agents made since start (a new pooled connection: a full or resumed handshake). */
    private static final AtomicLong HANDSHAKES = new AtomicLong();

    /** TLS connections the health prober's JDK client opened to agents since start. */
    private static final AtomicLong PROBE_HANDSHAKES = new AtomicLong();

    private AgentClientTls() {}

    /**
     * How many TLS connections to agents the pooled client has opened since the process started, each one handshake
     * ({@code mesh_tls_handshakes_total{peer="agent"}}): under pooled load it should hardly move.
     */
    public static long handshakes() {
        return HANDSHAKES.get();
    }

    /**
     * How many TLS connections to agents the health prober has opened since the process started, each one handshake
     * ({@code mesh_tls_handshakes_total{peer="agent",client="prober"}}): its JDK client keeps a connection while probes
     * come more often than its keep-alive timeout, so this grows by about one per node per timeout at most.
     */
    public static long probeHandshakes() {
        return PROBE_HANDSHAKES.get();
    }

    /**
     * This context for the health prober's JDK client, counting each TLS connection it opens in
     * {@link #probeHandshakes()}: the JDK client creates one {@link SSLEngine} per connection, so each engine is one
     * handshake (full or resumed). The same keys, trust and session cache as {@code context}.
     */
    public static SSLContext countingProbes(SSLContext context) {
        return new CountingContext(context, PROBE_HANDSHAKES);
    }

    /**
     * The client context, or {@code null} when the coordinator has no CA key (plain HTTP to agents, as before). With
     * the mesh CA it presents its server certificate (which carries the client purpose); with the operator's CA
     * ({@code mesh.tls.ca-key-file}) a client certificate it issues itself from that CA, because an operator's server
     * certificate need not carry the client purpose.
     */
    public static @Nullable SSLContext context(TlsProperties properties, @Nullable Path dataDir) {
        if (properties.operatorCa()) {
            CertificateAuthority authority = OperatorCa.load(properties, Instant.now());
            return context(
                    authority.certificate(),
                    new ClientKey(
                            new IssuedClientCertificate(authority, properties.serverLifetime(), Clock.systemUTC())));
        }
        if (!properties.ownCa() || dataDir == null) {
            return null;
        }
        TlsFiles files = TlsFiles.in(dataDir.toAbsolutePath());
        return context(
                MeshTrust.readCertificates(files.caCertificate()).get(0),
                new ClientKey(new ServerCertificateFiles(files)));
    }

    private static SSLContext context(X509Certificate ca, ClientKey key) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("mesh-ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {key}, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException("Cannot set up mutual TLS towards agents: " + ex.getMessage(), ex);
        }
    }

    /**
     * Apache HttpClient's TLS for pooled connections to agents with this context, or, without one, its default TLS built
     * at the first https connection ({@link ApacheClientDefaults}: agents are then reached over plain HTTP). Sessions are resumed through the context's session cache, so a new pooled connection to a
     * known agent skips the full handshake. Right after the handshake, before any request byte is written, the
     * agent's certificate must name the node the request is for ({@link #contextFor}): a certificate of node A does
     * not answer for node B, even at B's address.
     */
    public static TlsSocketStrategy socketStrategy(@Nullable SSLContext context) {
        if (context == null) {
            return ApacheClientDefaults.tlsSocketStrategy();
        }
        TlsSocketStrategy tls =
                ClientTlsStrategyBuilder.create().setSslContext(context).buildClassic();
        return (socket, target, port, attachment, httpContext) -> {
            SSLSocket upgraded = tls.upgrade(socket, target, port, attachment, httpContext);
            HANDSHAKES.incrementAndGet();
            Object expected = (httpContext != null) ? httpContext.getAttribute(EXPECTED_NODE) : null;
            try {
                checkNode(upgraded.getSession(), (expected instanceof String id) ? id : null);
            } catch (SSLPeerUnverifiedException ex) {
                upgraded.close();
                throw ex;
            }
            return upgraded;
        };
    }

    /**
     * The context for a request to the agent of this node: it names the node the agent's certificate must be issued
     * for, and keeps pooled connections per node, so a connection checked for one node is never lent to a request for
     * another at the same address.
     */
    public static HttpClientContext contextFor(String nodeId) {
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(EXPECTED_NODE, nodeId);
        context.setUserToken(nodeId);
        return context;
    }

    /**
     * Checks that the agent's certificate in this session was issued for the node ({@code CN=<node id>}, which the
     * coordinator sets itself when it signs).
     *
     * @throws SSLPeerUnverifiedException naming both ids when it is another node's, or when no node was named
     */
    public static void checkNode(SSLSession session, @Nullable String expected) throws SSLPeerUnverifiedException {
        if (expected == null) {
            throw new SSLPeerUnverifiedException(
                    "no node named for this connection to an agent; refusing to use it (a coordinator bug)");
        }
        String actual = (session.getPeerCertificates()[0] instanceof X509Certificate certificate)
                ? nodeIdOf(certificate)
                : null;
        if (!expected.equals(actual)) {
            throw new SSLPeerUnverifiedException("the agent's certificate was issued for " + actual + ", not for "
                    + expected + ": another node answers at this node's endpoint");
        }
    }

    /** The common name of a node certificate's subject: the node id it was issued for. */
    static @Nullable String nodeIdOf(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException ex) {
            return null;
        }
    }

    /** A context that counts the engines (one per connection) it creates; everything else is the delegate's. */
    static final class CountingContext extends SSLContext {

        CountingContext(SSLContext delegate, AtomicLong engines) {
            super(new CountingSpi(delegate, engines), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class CountingSpi extends SSLContextSpi {

        private final SSLContext delegate;

        private final AtomicLong engines;

        CountingSpi(SSLContext delegate, AtomicLong engines) {
            this.delegate = delegate;
            this.engines = engines;
        }

        @Override
        protected void engineInit(
                KeyManager @Nullable [] keys, TrustManager @Nullable [] trust, @Nullable SecureRandom random) {
            throw new UnsupportedOperationException("already initialised: the delegate's keys and trust are used");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return this.delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return this.delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            this.engines.incrementAndGet();
            return this.delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(@Nullable String host, int port) {
            this.engines.incrementAndGet();
            return this.delegate.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return this.delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return this.delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return this.delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return this.delegate.getSupportedSSLParameters();
        }
    }

    /** A client key and its chain (the certificate, then the CA's). */
    record ClientCredential(PrivateKey key, X509Certificate[] chain) {}

    /** Where the client key comes from: asked on every handshake, so it answers the current one. */
    @FunctionalInterface
    interface ClientCredentials {
        ClientCredential current();
    }

    /** The mesh CA's server certificate and key in the data dir, read again when the certificate file changes. */
    static final class ServerCertificateFiles implements ClientCredentials {

        private record Loaded(FileTime modified, ClientCredential credential) {}

        private final TlsFiles files;

        private volatile @Nullable Loaded loaded;

        ServerCertificateFiles(TlsFiles files) {
            this.files = files;
        }

        @Override
        public ClientCredential current() {
            Path certificate = this.files.serverCertificate();
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(certificate);
            } catch (IOException ex) {
                throw new IllegalStateException("Cannot read " + certificate + ": " + ex.getMessage(), ex);
            }
            Loaded known = this.loaded;
            if (known != null && known.modified().equals(modified)) {
                return known.credential();
            }
            Loaded fresh = new Loaded(
                    modified,
                    new ClientCredential(
                            TlsFiles.readKey(this.files.serverKey()),
                            MeshTrust.readCertificates(certificate).toArray(X509Certificate[]::new)));
            this.loaded = fresh;
            return fresh.credential();
        }
    }

    /**
     * A client certificate the coordinator issues itself from the operator's CA, in memory (a new key each time),
     * and again once two thirds of its life are over. Each replica issues its own.
     */
    static final class IssuedClientCertificate implements ClientCredentials {

        private final CertificateAuthority authority;

        private final Duration lifetime;

        private final Clock clock;

        private @Nullable ClientCredential issued;

        IssuedClientCertificate(CertificateAuthority authority, Duration lifetime, Clock clock) {
            this.authority = authority;
            this.lifetime = lifetime;
            this.clock = clock;
        }

        @Override
        public synchronized ClientCredential current() {
            Instant now = this.clock.instant();
            ClientCredential known = this.issued;
            if (known != null && now.isBefore(renewalTime(known.chain()[0]))) {
                return known;
            }
            KeyPair pair = CertificateAuthority.newKeyPair();
            X509Certificate certificate =
                    this.authority.issueClient(pair.getPublic(), "claw-mesh coordinator", now, this.lifetime);
            ClientCredential fresh = new ClientCredential(
                    pair.getPrivate(), new X509Certificate[] {certificate, this.authority.certificate()});
            this.issued = fresh;
            return fresh;
        }

        private static Instant renewalTime(X509Certificate certificate) {
            Instant from = certificate.getNotBefore().toInstant();
            Instant to = certificate.getNotAfter().toInstant();
            return from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
        }
    }

    /** The coordinator's client key towards agents, asked for on each full handshake. */
    static final class ClientKey extends X509ExtendedKeyManager {

        private static final String ALIAS = "coordinator";

        private final ClientCredentials credentials;

        ClientKey(ClientCredentials credentials) {
            this.credentials = credentials;
        }

        private ClientCredential current() {
            return this.credentials.current();
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
