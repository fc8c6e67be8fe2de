package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Own certificates with the operator's CA key, with real processes (SPEC §18, ADR 0012): an operator CA made by
 * OpenSSL (RSA, as many PKIs have), a coordinator serving a certificate of it with {@code mesh.tls.ca-key-file}, an
 * agent joining with {@code --mesh.agent.ca-file}. The agent gets a node certificate of the operator's CA, the
 * coordinator routes to it over mutual TLS, and the agent's port refuses plain HTTP and a client without the
 * coordinator's certificate.
 */
class OperatorCaEndToEndTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private MeshCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void anAgentShouldGetACertificateOfTheOperatorCaAndBeRoutedToOverMutualTls() throws Exception {
        Path own = Files.createDirectories(this.work.resolve("own"));
        operatorCa(own);
        this.cluster = new MeshCluster(this.work);
        int port = MeshCluster.freePort();
        int agentPort = MeshCluster.freePort();
        MeshProcess coordinator = this.cluster.startCoordinator(
                "coordinator-operator-ca",
                port,
                List.of(
                        "--mesh.tls.enabled=true",
                        "--mesh.tls.cert-file=" + own.resolve("server.crt"),
                        "--mesh.tls.key-file=" + own.resolve("server.key"),
                        "--mesh.tls.ca-file=" + own.resolve("ca.crt"),
                        "--mesh.tls.ca-key-file=" + own.resolve("ca.key")));
        SSLContext trustTheOperatorCa = MeshTrust.clientContext(null, own.resolve("ca.crt"));
        HttpClient https = HttpClient.newBuilder()
                .sslContext(trustTheOperatorCa)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Awaitility.await("the coordinator answering over HTTPS")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("the coordinator ended:\n" + coordinator.logTail(), () -> !coordinator.isAlive())
                .ignoreExceptions()
                .until(() -> https.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("https://127.0.0.1:" + port + "/actuator/health"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);

        MeshProcess agent = this.cluster.startAgent(
                "operator-ca-node",
                agentPort,
                port,
                "",
                Map.of(),
                List.of(
                        "--mesh.agent.coordinator-url=https://127.0.0.1:" + port,
                        "--mesh.agent.ca-file=" + own.resolve("ca.crt")));

        Awaitility.await("routed over mutual TLS")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("the agent ended:\n" + agent.logTail(), () -> !agent.isAlive())
                .ignoreExceptions()
                .until(() -> routes(https, port, "operator-ca-node", "over the operator's CA"));
        X509Certificate ca = MeshTrust.readCertificates(own.resolve("ca.crt")).get(0);
        List<X509Certificate> stored =
                MeshTrust.readCertificates(this.work.resolve("agent-operator-ca-node/tls/node.crt"));
        stored.get(0).verify(ca.getPublicKey());
        assertThat(stored.get(stored.size() - 1)).isEqualTo(ca);
        assertThat(stored.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + nodeId(https, port));
        assertThat(agent.logTail()).doesNotContain("mutual-tls=off");

        // the agent's port speaks only TLS and wants the coordinator's client certificate
        HttpClient plain = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        assertThatThrownBy(() -> plain.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> https.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    /**
     * An operator's PKI in OpenSSL: an RSA CA (key mode 0600) and an EC server certificate of it for 127.0.0.1 with
     * the server purpose only, so the coordinator's client certificate must be one it issues itself.
     */
    private static void operatorCa(Path dir) throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/openssl")), "the operator's CA is made with /usr/bin/openssl");
        Files.writeString(
                dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "30",
                "-subj",
                "/CN=operator e2e CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        openssl(
                dir,
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=coordinator");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "30",
                "-extfile",
                "server.ext");
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(
                dir.resolve("server.crt"),
                Files.readString(dir.resolve("server.crt")) + Files.readString(dir.resolve("ca.crt")));
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("openssl " + String.join(" ", args) + ": " + Files.readString(dir.resolve("openssl.log")))
                .isTrue();
    }

    private static boolean routes(HttpClient https, int port, String node, String content)
            throws IOException, InterruptedException {
        HttpResponse<String> routed = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/route/" + node))
                        .header("Authorization", "Bearer " + MeshCluster.OPERATOR_TOKEN)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return routed.statusCode() == 200 && routed.body().contains("[claw-mesh echo] " + content);
    }

    private static String nodeId(HttpClient https, int port) throws IOException, InterruptedException {
        HttpResponse<String> nodes = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/nodes"))
                        .header("Authorization", "Bearer " + MeshCluster.OPERATOR_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(nodes.body())
                .valueStream()
                .filter((node) -> node.path("name").asString().equals("operator-ca-node"))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
    }
}
