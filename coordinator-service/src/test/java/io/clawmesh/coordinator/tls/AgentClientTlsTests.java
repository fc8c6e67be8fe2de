package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.clawmesh.common.tls.LazyTls;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's client side of mutual TLS on real sockets: against an HTTPS server that, like an agent, serves a
 * node certificate of the mesh CA and needs a client certificate of that CA, it presents its server certificate (and
 * a renewed one at the next full handshake; sessions are resumed until then), and it refuses an agent whose certificate is of another CA.
 */
class AgentClientTlsTests {

    @TempDir
    Path dataDir;

    private final List<BigInteger> clientSerials = new CopyOnWriteArrayList<>();

    private TlsProperties properties;

    private TlsFiles files;

    private CertificateAuthority authority;

    private HttpsServer agent;

    @BeforeEach
    void startAnAgent() throws Exception {
        this.properties = new TlsProperties(
                true,
                null,
                null,
                null,
                null,
                List.of(),
                Duration.ofDays(3650),
                Duration.ofDays(90),
                Duration.ofHours(1),
                Duration.ofDays(30));
        new ServerCertificates(TlsFiles.in(this.dataDir), this.properties, Clock.systemUTC()).ensure();
        this.files = TlsFiles.in(this.dataDir);
        this.authority = this.files.loadOrCreateAuthority(Instant.now(), Duration.ofDays(3650));
        this.agent = agentWithCertificateOf(this.authority);
    }

    private HttpsServer agentWithCertificateOf(CertificateAuthority ca) throws Exception {
        KeyPair node = CertificateAuthority.newKeyPair();
        X509Certificate certificate =
                ca.issueNode(node.getPublic(), "node-1", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(30));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", node.getPrivate(), new char[0], new X509Certificate[] {certificate, ca.certificate()});
        KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(keys, new char[0]);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyFactory.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/healthz", (exchange) -> {
            X509Certificate client =
                    (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            this.clientSerials.add(client.getSerialNumber());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        this.agent.stop(0);
    }

    @Test
    void withoutTheMeshCaThereShouldBeNoClientContext() {
        TlsProperties plain = new TlsProperties(
                false,
                null,
                null,
                null,
                null,
                List.of(),
                Duration.ofDays(3650),
                Duration.ofDays(90),
                Duration.ofHours(1),
                Duration.ofDays(30));

        assertThat(AgentClientTls.context(plain, this.dataDir)).isNull();
        assertThat(AgentClientTls.socketStrategy(null)).isSameAs(ApacheClientDefaults.tlsSocketStrategy());
    }

    @Test
    void aLazyContextShouldBeBuiltByTheFirstHttpsConnectionOnlyAndThenServeEveryOne() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        SSLContext lazy = LazyTls.lazy(() -> {
            builds.incrementAndGet();
            return AgentClientTls.context(this.properties, this.dataDir);
        });
        HttpClient client = LazyTls.configure(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1), lazy)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        assertThat(builds).as("building a client builds no context").hasValue(0);
        assertThat(LazyTls.isBuilt(lazy)).isFalse();

        URI health = URI.create("https://127.0.0.1:" + this.agent.getAddress().getPort() + "/healthz");
        for (int i = 0; i < 2; i++) {
            assertThat(client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(builds).as("built once, at the first connection").hasValue(1);
        assertThat(LazyTls.isBuilt(lazy)).isTrue();
        assertThat(this.clientSerials)
                .as("each request presented the built context's client certificate")
                .hasSize(2);
        // a new connection of a new client on the same context: still the one build, host name still checked
        assertThat(call(lazy, this.agent).statusCode()).isEqualTo(200);
        assertThat(builds).hasValue(1);
        URI byName = URI.create("https://localhost:" + this.agent.getAddress().getPort() + "/healthz");
        assertThatThrownBy(() ->
                        client.send(HttpRequest.newBuilder(byName).build(), HttpResponse.BodyHandlers.discarding()))
                .as("the certificate names 127.0.0.1, not localhost")
                .isInstanceOf(IOException.class);
    }

    @Test
    void theLazyDefaultsShouldTrustWhatTheJdkTrustsAndNothingElse() throws Exception {
        URI health = URI.create("https://127.0.0.1:" + this.agent.getAddress().getPort() + "/healthz");
        HttpClient jdk = LazyTls.configureDefault(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        assertThatThrownBy(
                        () -> jdk.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()))
                .as("the mesh CA is not in the JDK's trust store")
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX");
        assertThat(LazyTls.isBuilt(LazyTls.defaultContext())).isTrue();

        try (PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(ApacheClientDefaults.tlsSocketStrategy())
                        .build();
                CloseableHttpClient apache =
                        HttpClients.custom().setConnectionManager(pool).build()) {
            assertThatThrownBy(() -> apache.execute(new HttpGet(health), (response) -> response.getCode()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("PKIX");
        }
        assertThat(this.clientSerials).as("no request reached the agent").isEmpty();
    }

    @Test
    void theCoordinatorShouldPresentItsServerCertificateAndARenewedOneOnTheNextConnection() throws Exception {
        SSLContext context = AgentClientTls.context(this.properties, this.dataDir);

        assertThat(call(context, this.agent).statusCode()).isEqualTo(200);
        X509Certificate first = io.clawmesh.common.tls.MeshTrust.readCertificates(this.files.serverCertificate())
                .get(0);
        assertThat(this.clientSerials).containsExactly(first.getSerialNumber());

        // what ServerCertificateRenewalTask does when the certificate is due
        KeyPair pair = CertificateAuthority.newKeyPair();
        X509Certificate renewed = this.authority.issueServer(
                pair.getPublic(), "claw-mesh coordinator", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(90));
        this.files.writeServer(pair, renewed, this.authority.certificate());

        // a new connection resumes the cached session (no full handshake), still under the first certificate
        assertThat(call(context, this.agent).statusCode()).isEqualTo(200);
        assertThat(this.clientSerials).containsExactly(first.getSerialNumber(), first.getSerialNumber());

        // the next full handshake presents the renewed certificate, read again from the file
        var sessions = context.getClientSessionContext();
        java.util.Collections.list(sessions.getIds()).stream()
                .map(sessions::getSession)
                .filter(java.util.Objects::nonNull)
                .forEach(javax.net.ssl.SSLSession::invalidate);
        assertThat(call(context, this.agent).statusCode()).isEqualTo(200);
        assertThat(this.clientSerials)
                .containsExactly(first.getSerialNumber(), first.getSerialNumber(), renewed.getSerialNumber());
    }

    @Test
    void anAgentWithACertificateOfAnotherCaShouldBeRefused() throws Exception {
        HttpsServer stranger = agentWithCertificateOf(
                CertificateAuthority.create("claw-mesh CA", Instant.now(), Duration.ofDays(365)));
        try {
            SSLContext context = AgentClientTls.context(this.properties, this.dataDir);

            assertThatThrownBy(() -> call(context, stranger)).isInstanceOf(IOException.class);
            assertThat(this.clientSerials).isEmpty();
        } finally {
            stranger.stop(0);
        }
    }

    @Test
    void aPooledRequestShouldReachOnlyTheAgentWhoseCertificateNamesItsNode() throws Exception {
        SSLContext context = AgentClientTls.context(this.properties, this.dataDir);
        String url = "https://127.0.0.1:" + this.agent.getAddress().getPort() + "/healthz";
        try (PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(AgentClientTls.socketStrategy(context))
                        .build();
                CloseableHttpClient client = HttpClients.custom()
                        .setConnectionManager(pool)
                        .disableConnectionState()
                        .build()) {

            long handshakesBefore = AgentClientTls.handshakes();
            int own = client.execute(
                    new HttpGet(url),
                    AgentClientTls.contextFor("node-1"),
                    org.apache.hc.core5.http.HttpResponse::getCode);
            // the same address, now meant for node-2: the pooled connection of node-1 is not lent, and the new one
            // fails before the request is written
            assertThatThrownBy(() -> client.execute(
                            new HttpGet(url),
                            AgentClientTls.contextFor("node-2"),
                            org.apache.hc.core5.http.HttpResponse::getCode))
                    .isInstanceOf(SSLPeerUnverifiedException.class)
                    .hasMessageContaining("issued for node-1, not for node-2");
            // a request that names no node is refused too
            assertThatThrownBy(() -> client.execute(new HttpGet(url), org.apache.hc.core5.http.HttpResponse::getCode))
                    .isInstanceOf(SSLPeerUnverifiedException.class)
                    .hasMessageContaining("no node named");

            long handshakes = AgentClientTls.handshakes();
            // node-1 again: its pooled connection is reused, no new handshake
            assertThat(client.execute(
                            new HttpGet(url),
                            AgentClientTls.contextFor("node-1"),
                            org.apache.hc.core5.http.HttpResponse::getCode))
                    .isEqualTo(200);

            assertThat(own).isEqualTo(200);
            assertThat(this.clientSerials).as("requests that reached the agent").hasSize(2);
            assertThat(handshakes - handshakesBefore)
                    .as("one per new connection")
                    .isEqualTo(3);
            assertThat(AgentClientTls.handshakes())
                    .as("the pooled connection reused")
                    .isEqualTo(handshakes);
        }
    }

    @Test
    void theProbersContextShouldCountEachConnectionItOpensToAnAgent() throws Exception {
        SSLContext counting = AgentClientTls.countingProbes(AgentClientTls.context(this.properties, this.dataDir));
        long before = AgentClientTls.probeHandshakes();
        long forwardingBefore = AgentClientTls.handshakes();

        // a new client per call: a new connection each time, each one counted
        assertThat(call(counting, this.agent).statusCode()).isEqualTo(200);
        assertThat(call(counting, this.agent).statusCode()).isEqualTo(200);
        assertThat(AgentClientTls.probeHandshakes() - before).isEqualTo(2);

        // one client, as the prober keeps: its second probe reuses the kept-alive connection, no new handshake
        HttpClient prober = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(counting)
                .build();
        URI health = URI.create("https://127.0.0.1:" + this.agent.getAddress().getPort() + "/healthz");
        for (int i = 0; i < 2; i++) {
            assertThat(prober.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(AgentClientTls.probeHandshakes() - before).isEqualTo(3);
        assertThat(this.clientSerials)
                .as("each probe presented the coordinator's certificate")
                .hasSize(4);

        // still the delegate's trust: an agent of another CA is refused, and its attempt is counted as well
        HttpsServer stranger = agentWithCertificateOf(
                CertificateAuthority.create("claw-mesh CA", Instant.now(), Duration.ofDays(365)));
        try {
            assertThatThrownBy(() -> call(counting, stranger)).isInstanceOf(IOException.class);
            assertThat(AgentClientTls.probeHandshakes() - before).isEqualTo(4);
        } finally {
            stranger.stop(0);
        }
        assertThat(AgentClientTls.handshakes())
                .as("the message client's count is separate")
                .isEqualTo(forwardingBefore);
    }

    private static HttpResponse<Void> call(SSLContext context, HttpsServer server)
            throws IOException, InterruptedException {
        // a new client per call: a new connection and handshake each time
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(context)
                .build();
        return client.send(
                HttpRequest.newBuilder(URI.create(
                                "https://127.0.0.1:" + server.getAddress().getPort() + "/healthz"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
