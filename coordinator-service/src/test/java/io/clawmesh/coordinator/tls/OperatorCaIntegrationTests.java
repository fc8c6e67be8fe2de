package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import io.clawmesh.coordinator.CoordinatorApplication;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator with own certificate files and the operator's CA key ({@code mesh.tls.ca-key-file}), over real
 * sockets: a registered node gets a certificate of the operator's CA for its own id (not with another node's token),
 * and the coordinator reaches an agent serving it over mutual TLS with a client certificate of that CA, which an
 * agent that requires one accepts, while the node id check still refuses a certificate of another node. A CA key that
 * is not the CA certificate's stops the start with the reason.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=operator-ca-token",
            "mesh.security.allow-private=true",
            "mesh.data-dir=" + OperatorCaIntegrationTests.ROOT + "/data",
            "mesh.tls.enabled=true",
            "mesh.tls.cert-file=" + OperatorCaIntegrationTests.ROOT + "/own/server.crt",
            "mesh.tls.key-file=" + OperatorCaIntegrationTests.ROOT + "/own/server.key",
            "mesh.tls.ca-file=" + OperatorCaIntegrationTests.ROOT + "/own/ca.crt",
            "mesh.tls.ca-key-file=" + OperatorCaIntegrationTests.ROOT + "/own/ca.key",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class OperatorCaIntegrationTests {

    static final String ROOT = "./target/operator-ca-tests";

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static CertificateAuthority operator;

    private static X509Certificate server;

    @LocalServerPort
    int port;

    @Autowired
    EndpointPolicy endpointPolicy;

    /** The operator's CA (its key 0600) and a server certificate of it, written before the coordinator starts. */
    @BeforeAll
    static void operatorCaFiles() throws IOException {
        Path root = Path.of(ROOT);
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
        Path own = Files.createDirectories(root.resolve("own"));
        operator = CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(365));
        KeyPair pair = CertificateAuthority.newKeyPair();
        server = operator.issueServer(
                pair.getPublic(), "coordinator", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(30));
        Files.writeString(own.resolve("server.crt"), TlsFiles.pem(server) + TlsFiles.pem(operator.certificate()));
        Files.writeString(own.resolve("server.key"), TlsFiles.pkcs8(pair.getPrivate()));
        Files.writeString(own.resolve("ca.crt"), TlsFiles.pem(operator.certificate()));
        Path key = Files.writeString(own.resolve("ca.key"), TlsFiles.pkcs8(operator.key()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aNodeShouldGetACertificateOfTheOperatorCaAndBeReachedOverMutualTls() throws Exception {
        List<X509Certificate> clients = new CopyOnWriteArrayList<>();
        HttpsServer agent = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        try {
            int agentPort = agent.getAddress().getPort();
            Matcher node = register("op-node", "127.0.0.1:" + agentPort);
            Matcher other = register("op-other", "127.0.0.1:" + (agentPort + 1));
            KeyPair nodeKey = CertificateAuthority.newKeyPair();
            String csr = csr(nodeKey, "CN=whatever-the-node-asks");

            HttpResponse<String> foreign =
                    post("/api/v1/nodes/" + node.group(1) + "/certificate", other.group(2), csrBody(csr));
            HttpResponse<String> signed =
                    post("/api/v1/nodes/" + node.group(1) + "/certificate", node.group(2), csrBody(csr));

            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            List<X509Certificate> chain = chain(JsonMapper.builder()
                    .build()
                    .readTree(signed.body())
                    .path("certificate")
                    .asString());
            chain.get(0).verify(operator.certificate().getPublicKey());
            assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + node.group(1));
            assertThat(chain.get(0).getPublicKey()).isEqualTo(nodeKey.getPublic());
            assertThat(chain.get(chain.size() - 1)).isEqualTo(operator.certificate());
            assertThat(Path.of(ROOT, "data", "tls", "ca.key"))
                    .as("no mesh CA of its own")
                    .doesNotExist();

            // the agent: serves that chain, needs a client certificate of the operator's CA with the client purpose
            serve(agent, nodeKey, chain, clients);
            assertThat(this.endpointPolicy.agentTls())
                    .as("agents are reached over TLS")
                    .isNotNull();
            assertThat(this.endpointPolicy.resolveUri(
                            io.clawmesh.common.node.Endpoint.parse("127.0.0.1:" + agentPort), "/healthz"))
                    .hasScheme("https");
            String url = "https://127.0.0.1:" + agentPort + "/healthz";
            try (PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                            .setTlsSocketStrategy(AgentClientTls.socketStrategy(this.endpointPolicy.agentTls()))
                            .build();
                    CloseableHttpClient client = HttpClients.custom()
                            .setConnectionManager(pool)
                            .disableConnectionState()
                            .build()) {
                int reached = client.execute(
                        new HttpGet(url),
                        AgentClientTls.contextFor(node.group(1)),
                        org.apache.hc.core5.http.HttpResponse::getCode);
                // the same agent, meant for the other node: refused after the handshake, nothing written
                assertThatThrownBy(() -> client.execute(
                                new HttpGet(url),
                                AgentClientTls.contextFor(other.group(1)),
                                org.apache.hc.core5.http.HttpResponse::getCode))
                        .isInstanceOf(SSLPeerUnverifiedException.class)
                        .hasMessageContaining("issued for " + node.group(1) + ", not for " + other.group(1));

                assertThat(reached).isEqualTo(200);
            }
            assertThat(clients).as("requests that reached the agent").hasSize(1);
            X509Certificate presented = clients.get(0);
            presented.verify(operator.certificate().getPublicKey());
            assertThat(presented.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
            assertThat(presented.getSerialNumber())
                    .as("a client certificate the coordinator issued itself, not its server certificate")
                    .isNotEqualTo(server.getSerialNumber());
            // a caller without a client certificate of the operator's CA gets no answer from such an agent
            HttpClient anonymous = HttpClient.newBuilder()
                    .sslContext(MeshTrust.clientContext(
                            CaFingerprint.of(operator.certificate()).toString(), null))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> anonymous.send(
                            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(IOException.class);
            assertThat(clients).hasSize(1);
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void aCaKeyThatIsNotTheCaCertificatesShouldStopTheStartWithTheReason() throws Exception {
        Path own = Path.of(ROOT, "mismatch");
        Files.createDirectories(own);
        Path key = Files.writeString(
                own.resolve("other-ca.key"),
                TlsFiles.pkcs8(CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(1))
                        .key()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> new SpringApplicationBuilder(CoordinatorApplication.class)
                        .properties(
                                "server.port=0",
                                "server.address=127.0.0.1",
                                "mesh.security.token=operator-ca-token",
                                "mesh.data-dir=" + own.resolve("data"),
                                "mesh.tls.enabled=true",
                                "mesh.tls.cert-file=" + ROOT + "/own/server.crt",
                                "mesh.tls.key-file=" + ROOT + "/own/server.key",
                                "mesh.tls.ca-file=" + ROOT + "/own/ca.crt",
                                "mesh.tls.ca-key-file=" + key)
                        .run()
                        .close())
                .hasMessageContaining("is not the key of the CA certificate CN=operator CA")
                .hasMessageContaining("operator-ca-tests/mismatch/other-ca.key");
    }

    private static void serve(
            HttpsServer agent, KeyPair key, List<X509Certificate> chain, List<X509Certificate> clients)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", key.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(keys, new char[0]);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", chain.get(chain.size() - 1));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyFactory.getKeyManagers(), trust.getTrustManagers(), null);
        agent.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        agent.createContext("/healthz", (exchange) -> {
            clients.add(
                    (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0]);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        agent.start();
    }

    private Matcher register(String name, String endpoint) throws Exception {
        HttpResponse<String> registration = post(
                "/api/v1/nodes/register",
                "operator-ca-token",
                "{\"name\":\"" + name + "\",\"endpoint\":\"" + endpoint + "\"}");
        Matcher node = Pattern.compile("\"node_id\"\\s*:\\s*\"([^\"]+)\".*\"token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(registration.body());
        assertThat(node.find()).as(registration.body()).isTrue();
        return node;
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpClient pinned = HttpClient.newBuilder()
                .sslContext(MeshTrust.clientContext(
                        CaFingerprint.of(operator.certificate()).toString(), null))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return pinned.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String csr(KeyPair pair, String subject) throws Exception {
        return TlsFiles.pem(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String csrBody(String csr) {
        return "{\"csr\":\"" + csr.replace("\r", "").replace("\n", "\\n") + "\"}";
    }

    private static List<X509Certificate> chain(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }
}
