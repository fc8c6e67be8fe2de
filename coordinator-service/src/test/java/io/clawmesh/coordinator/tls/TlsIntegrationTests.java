package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The coordinator with {@code mesh.tls.enabled} and no certificate files, over real sockets: it creates the mesh CA,
 * serves HTTPS that a client pinned to the CA fingerprint accepts, tells the fingerprint in {@code /actuator/info},
 * refuses plain HTTP, and serves a renewed certificate without a restart.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=tls-operator-token",
            "mesh.security.allow-private=true",
            "mesh.data-dir=" + TlsIntegrationTests.DATA_DIR,
            "mesh.tls.enabled=true",
            // a short life, checked often, so a renewal happens during the test
            "mesh.tls.server-lifetime=9s",
            "mesh.tls.renewal-check=500ms",
            "spring.ssl.bundle.watch.file.quiet-period=100ms",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class TlsIntegrationTests {

    static final String DATA_DIR = "./target/tls-integration-tests/data";

    @LocalServerPort
    int port;

    @BeforeAll
    static void freshDataDir() throws IOException {
        Path root = Path.of(DATA_DIR).getParent();
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
    }

    @Test
    void infoWhenPinnedToTheCaFingerprintShouldAnswerOverHttpsWithThatFingerprint() throws Exception {
        CaFingerprint fingerprint = fingerprint();

        HttpResponse<String> response = client(MeshTrust.clientContext(fingerprint.toString(), null))
                .send(get("https://127.0.0.1:" + this.port + "/actuator/info"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"ca_fingerprint\":\"" + fingerprint + "\"");
    }

    @Test
    void requestWhenPinnedToAnotherFingerprintShouldFailInTheHandshakeNamingBothFingerprints() {
        String wrong = "sha256:" + "ab".repeat(32);

        assertThatExceptionOfType(SSLHandshakeException.class)
                .isThrownBy(() -> client(MeshTrust.clientContext(wrong, null))
                        .send(
                                get("https://127.0.0.1:" + this.port + "/api/v1/nodes"),
                                HttpResponse.BodyHandlers.ofString()))
                .withStackTraceContaining(wrong)
                .withStackTraceContaining(fingerprint().toString());
    }

    @Test
    void plainHttpOnTheHttpsPortShouldGetNoApiAnswer() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(get("http://127.0.0.1:" + this.port + "/api/v1/nodes"), HttpResponse.BodyHandlers.ofString());

        // Tomcat answers a plain request on a TLS port with 400 and no API content
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("\"nodes\"");
    }

    @Test
    void serverCertificateWhenRenewedShouldBeServedWithoutARestart() throws Exception {
        BigInteger first = servedSerial();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !servedSerial().equals(first));

        assertThat(fingerprint()).isEqualTo(fingerprint()); // the CA stays: pinned clients keep working
        HttpResponse<String> response = client(
                        MeshTrust.clientContext(fingerprint().toString(), null))
                .send(get("https://127.0.0.1:" + this.port + "/actuator/info"), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void nodeCertificateWhenAskedWithTheNodesOwnTokenShouldBeSignedByTheMeshCaForThatNodeOnly() throws Exception {
        Matcher first = registered("cert-node-a");
        String nodeId = first.group(1);
        String nodeToken = first.group(2);
        Matcher other = registered("cert-node-b");
        String csr = csr("CN=someone-else");

        HttpResponse<String> own = post("/api/v1/nodes/" + nodeId + "/certificate", nodeToken, csrBody(csr));
        HttpResponse<String> foreign = post("/api/v1/nodes/" + nodeId + "/certificate", other.group(2), csrBody(csr));
        HttpResponse<String> operator =
                post("/api/v1/nodes/" + nodeId + "/certificate", "tls-operator-token", csrBody(csr));
        HttpResponse<String> garbage =
                post("/api/v1/nodes/" + nodeId + "/certificate", nodeToken, csrBody("not a csr"));

        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        String pem = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(own.body())
                .path("certificate")
                .asString();
        java.util.List<X509Certificate> chain = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes()))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
        X509Certificate ca = MeshTrust.readCertificates(
                        TlsFiles.in(Path.of(DATA_DIR).toAbsolutePath()).caCertificate())
                .get(0);
        chain.get(0).verify(ca.getPublicKey());
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + nodeId);
        assertThat(TlsFiles.alternativeNames(chain.get(0))).containsExactly("127.0.0.1");
        assertThat(Duration.between(
                        java.time.Instant.now(), chain.get(0).getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(29), Duration.ofDays(31));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        assertThat(operator.statusCode()).as(operator.body()).isEqualTo(403);
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(garbage.body()).contains("csr");
    }

    @Test
    void prometheusShouldCountTheTlsHandshakesWithAgents() throws Exception {
        HttpResponse<String> scrape = client(
                        MeshTrust.clientContext(fingerprint().toString(), null))
                .send(
                        get("https://127.0.0.1:" + this.port + "/actuator/prometheus"),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).containsPattern("(?m)^mesh_tls_handshakes_total\\{[^}]*peer=\"agent\"[^}]*} \\d");
    }

    @Test
    void heartbeatWhenItCarriesACsrShouldAnswerACertificateForThatNodeOnly() throws Exception {
        Matcher first = registered("renew-node-a");
        String nodeId = first.group(1);
        String nodeToken = first.group(2);
        Matcher other = registered("renew-node-b");
        String heartbeat = "/api/v1/nodes/" + nodeId + "/heartbeat";

        HttpResponse<String> plain = post(heartbeat, nodeToken, "{\"status\":\"online\"}");
        HttpResponse<String> renewing = post(heartbeat, nodeToken, heartbeatBody(csr("CN=someone-else")));
        HttpResponse<String> foreign = post(heartbeat, other.group(2), heartbeatBody(csr("CN=" + nodeId)));
        HttpResponse<String> garbage = post(heartbeat, nodeToken, "{\"status\":\"online\",\"csr\":\"not a csr\"}");
        HttpResponse<String> blank = post(heartbeat, nodeToken, "{\"status\":\"online\",\"csr\":\"\"}");
        HttpResponse<String> huge =
                post(heartbeat, nodeToken, "{\"status\":\"online\",\"csr\":\"" + "A".repeat(20_000) + "\"}");
        HttpResponse<String> operator = post(heartbeat, "tls-operator-token", heartbeatBody(csr("CN=" + nodeId)));

        assertThat(plain.statusCode())
                .as("a heartbeat without a CSR hands nothing back")
                .isEqualTo(204);
        assertThat(renewing.statusCode()).as(renewing.body()).isEqualTo(200);
        java.util.List<X509Certificate> chain = chain(renewing.body());
        chain.get(0).verify(ca().getPublicKey());
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + nodeId);
        assertThat(TlsFiles.alternativeNames(chain.get(0))).containsExactly("127.0.0.1");
        assertThat(chain.get(chain.size() - 1)).isEqualTo(ca());
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        assertThat(foreign.body()).doesNotContain("BEGIN CERTIFICATE");
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(garbage.body()).contains("csr");
        assertThat(blank.statusCode()).as(blank.body()).isEqualTo(400);
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(huge.body()).contains("csr: longer than");
        assertThat(operator.statusCode())
                .as("the operator token may not heartbeat")
                .isEqualTo(403);
    }

    @Test
    void nodeCertificateWhenTheEndpointIsAHostNameShouldNameItAndTheAddressesItResolvesTo() throws Exception {
        Matcher node = registered("dns-node", "localhost:19122");

        HttpResponse<String> own =
                post("/api/v1/nodes/" + node.group(1) + "/certificate", node.group(2), csrBody(csr("CN=dns-node")));

        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(TlsFiles.alternativeNames(chain(own.body()).get(0)))
                .contains("localhost", "127.0.0.1")
                .isSubsetOf("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    private static java.util.List<X509Certificate> chain(String body) throws Exception {
        String pem = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(body)
                .path("certificate")
                .asString();
        return java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes()))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    private static X509Certificate ca() {
        return MeshTrust.readCertificates(
                        TlsFiles.in(Path.of(DATA_DIR).toAbsolutePath()).caCertificate())
                .get(0);
    }

    private static String heartbeatBody(String csr) {
        return "{\"status\":\"online\",\"csr\":\"" + csr.replace("\r", "").replace("\n", "\\n") + "\"}";
    }

    private Matcher registered(String name) throws Exception {
        return registered(name, "127.0.0.1:19121");
    }

    private Matcher registered(String name, String endpoint) throws Exception {
        HttpResponse<String> response = post(
                "/api/v1/nodes/register",
                "tls-operator-token",
                "{\"name\":\"" + name + "\",\"endpoint\":\"" + endpoint + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher matcher = Pattern.compile("\"node_id\"\\s*:\\s*\"([^\"]+)\".*\"token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        return matcher;
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return client(MeshTrust.clientContext(fingerprint().toString(), null))
                .send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String csrBody(String csr) {
        return "{\"csr\":\"" + csr.replace("\r", "").replace("\n", "\\n") + "\"}";
    }

    private static String csr(String subject) throws Exception {
        java.security.KeyPair pair = CertificateAuthority.newKeyPair();
        org.bouncycastle.pkcs.PKCS10CertificationRequest request =
                new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                                new org.bouncycastle.asn1.x500.X500Name(subject), pair.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(pair.getPrivate()));
        return TlsFiles.pem(request);
    }

    private BigInteger servedSerial() throws IOException {
        SSLContext context = MeshTrust.clientContext(fingerprint().toString(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", this.port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static CaFingerprint fingerprint() {
        return CaFingerprint.of(MeshTrust.readCertificates(
                        TlsFiles.in(Path.of(DATA_DIR).toAbsolutePath()).caCertificate())
                .get(0));
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer tls-operator-token")
                .timeout(Duration.ofSeconds(10))
                .build();
    }
}
