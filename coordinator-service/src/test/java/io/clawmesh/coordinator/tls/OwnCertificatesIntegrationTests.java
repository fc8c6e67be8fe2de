package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The coordinator with own certificate files ({@code mesh.tls.cert-file}, {@code key-file}, {@code ca-file}) instead of
 * the mesh CA, over real sockets: it serves that certificate, tells the fingerprint of that CA, writes no CA of its
 * own, and, having no CA key, signs no node certificates (no certificate endpoint, a heartbeat's CSR is ignored) and
 * reaches agents over plain HTTP (ADR 0012, docs/security.md). With the CA's key too: {@link OperatorCaIntegrationTests}.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=own-operator-token",
            "mesh.security.allow-private=true",
            "mesh.data-dir=" + OwnCertificatesIntegrationTests.ROOT + "/data",
            "mesh.tls.enabled=true",
            "mesh.tls.cert-file=" + OwnCertificatesIntegrationTests.ROOT + "/own/server.crt",
            "mesh.tls.key-file=" + OwnCertificatesIntegrationTests.ROOT + "/own/server.key",
            "mesh.tls.ca-file=" + OwnCertificatesIntegrationTests.ROOT + "/own/ca.crt",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class OwnCertificatesIntegrationTests {

    static final String ROOT = "./target/own-certificates-tests";

    private static X509Certificate ca;

    @LocalServerPort
    int port;

    @Autowired
    EndpointPolicy endpointPolicy;

    /** An operator's CA and a server certificate of it for 127.0.0.1, written before the coordinator starts. */
    @BeforeAll
    static void ownCertificateFiles() throws IOException {
        Path root = Path.of(ROOT);
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
        Path own = Files.createDirectories(root.resolve("own"));
        CertificateAuthority authority =
                CertificateAuthority.create("operator CA", Instant.now(), Duration.ofDays(365));
        KeyPair server = CertificateAuthority.newKeyPair();
        X509Certificate certificate = authority.issueServer(
                server.getPublic(), "coordinator", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(30));
        Files.writeString(own.resolve("server.crt"), TlsFiles.pem(certificate) + TlsFiles.pem(authority.certificate()));
        Files.writeString(own.resolve("server.key"), TlsFiles.pkcs8(server.getPrivate()));
        Files.writeString(own.resolve("ca.crt"), TlsFiles.pem(authority.certificate()));
        ca = authority.certificate();
    }

    @Test
    void itShouldServeTheOwnCertificateAndSignNoNodeCertificates() throws Exception {
        HttpClient pinned = HttpClient.newBuilder()
                .sslContext(MeshTrust.clientContext(CaFingerprint.of(ca).toString(), null))
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> info = pinned.send(get("/actuator/info", null), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> registration = pinned.send(
                post(
                        "/api/v1/nodes/register",
                        "own-operator-token",
                        "{\"name\":\"own-node\",\"endpoint\":\"127.0.0.1:19123\"}"),
                HttpResponse.BodyHandlers.ofString());
        Matcher node = Pattern.compile("\"node_id\"\\s*:\\s*\"([^\"]+)\".*\"token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(registration.body());
        assertThat(node.find()).as(registration.body()).isTrue();
        HttpResponse<String> certificate = pinned.send(
                post("/api/v1/nodes/" + node.group(1) + "/certificate", node.group(2), "{\"csr\":\"x\"}"),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> heartbeat = pinned.send(
                post(
                        "/api/v1/nodes/" + node.group(1) + "/heartbeat",
                        node.group(2),
                        "{\"status\":\"online\",\"csr\":\"x\"}"),
                HttpResponse.BodyHandlers.ofString());

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains(CaFingerprint.of(ca).toString());
        assertThat(Path.of(ROOT, "data", "tls", "ca.key"))
                .as("no mesh CA of its own")
                .doesNotExist();
        assertThat(certificate.statusCode())
                .as("no CA key, no certificate endpoint")
                .isEqualTo(404);
        assertThat(certificate.body())
                .as("what the agent tells apart from a lost node (NodeTlsConfiguration)")
                .doesNotContain("node-not-found");
        assertThat(heartbeat.statusCode())
                .as("the CSR is ignored, the lease renewed")
                .isEqualTo(204);
        assertThat(this.endpointPolicy.agentTls())
                .as("agents are reached over plain HTTP")
                .isNull();
    }

    private HttpRequest get(String path, @Nullable String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private HttpRequest post(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
