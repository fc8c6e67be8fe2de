package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPEC §18 with the real {@code claw-mesh} script of the distribution: {@code up --tls} makes the mesh CA and serves
 * HTTPS (its local node trusts the CA file), {@code join https://… --ca-fingerprint} registers and is routed to, a
 * wrong fingerprint stops the agent before anything is sent and names both fingerprints, node certificates of a
 * short life are renewed through the heartbeat and served without a restart, and the CLI talks HTTPS with the CA file
 * next to the token or a pinned fingerprint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsEndToEndTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration NODE_LIFETIME = Duration.ofSeconds(30);

    private final String operatorToken = "operator-" + random();

    private Path work;

    private Launcher launcher;

    private int port;

    private Process up;

    private CaFingerprint fingerprint;

    private HttpClient https;

    @BeforeAll
    void unpackTheDistribution() throws Exception {
        this.work = Files.createTempDirectory("claw-mesh-tls-e2e");
        Path logs = Files.createDirectories(Path.of("target", "e2e-logs", "tls"));
        Path tarball = Path.of(System.getProperty("distribution.tarball", "missing"));
        assertThat(tarball)
                .as("distribution.tarball (run through ./mvnw verify)")
                .isRegularFile();
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", this.work.toString())
                .inheritIO()
                .start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0)
                .as("tar xzf")
                .isTrue();
        Path script;
        try (Stream<Path> dirs = Files.list(this.work)) {
            script = dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin/claw-mesh");
        }
        this.launcher = new Launcher(script, Files.createDirectories(this.work.resolve("home")), logs)
                .env("CLAW_MESH_AOT", "off")
                .env("SERVER_ADDRESS", "127.0.0.1")
                // node certificates of half a minute, renewed through heartbeats every 2 s (ADR 0012)
                .env("MESH_TLS_NODE_LIFETIME", NODE_LIFETIME.toSeconds() + "s")
                .env("MESH_AGENT_HEARTBEAT_INTERVAL", "2s");
        this.port = MeshCluster.freePort();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.launcher != null) {
            this.launcher.close();
        }
        if (this.work != null) {
            try (Stream<Path> paths = Files.walk(this.work)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach((path) -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void upWithTlsShouldMakeTheMeshCaServeHttpsAndPrintTheFingerprint() throws Exception {
        Path tls = this.launcher.home().resolve(".claw-mesh/tls");

        this.up = this.launcher.start(
                "up",
                "up",
                "--tls",
                "--port",
                String.valueOf(this.port),
                "--local-port",
                String.valueOf(MeshCluster.freePort()),
                "--token",
                this.operatorToken);
        Awaitility.await("the mesh CA written")
                .atMost(Duration.ofMinutes(2))
                .failFast("claw-mesh up ended: " + this.launcher.log("up"), () -> !this.up.isAlive())
                .until(() -> Files.isRegularFile(tls.resolve("ca.crt")));
        this.fingerprint = CaFingerprint.of(
                MeshTrust.readCertificates(tls.resolve("ca.crt")).get(0));
        this.https = HttpClient.newBuilder()
                .sslContext(MeshTrust.clientContext(this.fingerprint.toString(), null))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        // the local node joined over https, trusting the CA file up passed it
        awaitNodesOnline(1, this.up, "up");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key"))))
                .isEqualTo("rw-------");
        Awaitility.await("the fingerprint printed by up")
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.launcher.log("up").contains(this.fingerprint.toString()));
        HttpResponse<String> info = get("/actuator/info");
        assertThat(JSON.readTree(info.body()).path("tls").path("ca_fingerprint").asString())
                .isEqualTo(this.fingerprint.toString());
        HttpResponse<String> plain = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/nodes"))
                                .header("Authorization", "Bearer " + this.operatorToken)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).as("plain HTTP on the HTTPS port").isEqualTo(400);
    }

    @Test
    @Order(2)
    void joinPinnedToTheCaFingerprintShouldRegisterAndBeRoutedTo() throws Exception {
        int agentPort = MeshCluster.freePort();

        Process join = this.launcher.start(
                "join-pinned",
                "join",
                "https://127.0.0.1:" + this.port,
                "--ca-fingerprint",
                this.fingerprint.toString(),
                "--name",
                "pinned-node",
                "--listen",
                "127.0.0.1:" + agentPort,
                "--endpoint",
                "127.0.0.1:" + agentPort,
                "--token",
                this.operatorToken,
                "--no-gateway",
                "--no-sync-config",
                "--data-dir",
                this.work.resolve("agent-pinned").toString());
        awaitNodesOnline(2, join, "join-pinned");

        // the agent asks for its node certificate right after registering; from then on the coordinator reaches it
        // over mutual TLS (ADR 0012)
        Awaitility.await("routed over mutual TLS")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> routes("pinned-node", "over tls"));
        assertThat(connectModeOf("pinned-node")).isEqualTo("inbound");
        assertThat(Files.getPosixFilePermissions(this.work.resolve("agent-pinned/tls/node.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        // the agent's port speaks only TLS and wants the coordinator's certificate: plain HTTP and a client without
        // a certificate (even one that trusts the mesh CA) get no answer
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
        assertThatThrownBy(() -> this.https.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        // renewal through the heartbeat: two thirds into its half-minute life the heartbeat carries a CSR, the reply
        // the new certificate, and the agent serves it from the next handshake without a restart
        Path stored = this.work.resolve("agent-pinned/tls/node.crt");
        BigInteger first = MeshTrust.readCertificates(stored).get(0).getSerialNumber();
        Awaitility.await("a node certificate renewed through the heartbeat")
                .atMost(NODE_LIFETIME.multipliedBy(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> this.launcher.log("join-pinned").contains("through the heartbeat"));
        Awaitility.await("the renewed certificate served")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    X509Certificate onDisk = MeshTrust.readCertificates(stored).get(0);
                    return !onDisk.getSerialNumber().equals(first) && onDisk.equals(servedByAgent(agentPort));
                });
        assertThat(this.launcher.log("join-pinned"))
                .as("heartbeats renewed it, not the certificate endpoint")
                .doesNotContain("heartbeats did not");
        assertThat(routes("pinned-node", "after renewal")).isTrue();
    }

    /**
     * The certificate the agent serves to a fresh handshake with the coordinator's own client certificate (the
     * {@code server.crt} and {@code server.key} that {@code up --tls} wrote).
     */
    private X509Certificate servedByAgent(int agentPort) throws Exception {
        Path tls = this.launcher.home().resolve(".claw-mesh/tls");
        java.util.List<X509Certificate> chain = MeshTrust.readCertificates(tls.resolve("server.crt"));
        String pem = Files.readString(tls.resolve("server.key"))
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("coordinator", key, new char[0], chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry(
                "mesh-ca", MeshTrust.readCertificates(tls.resolve("ca.crt")).get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", agentPort)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    @Order(3)
    void joinPinnedToAnotherFingerprintShouldStopNamingBothAndRegisterNothing() throws Exception {
        String wrong = "sha256:" + "ab".repeat(32);
        int agentPort = MeshCluster.freePort();

        Launcher.Result result = this.launcher.run(
                "join",
                "https://127.0.0.1:" + this.port,
                "--ca-fingerprint",
                wrong,
                "--name",
                "wrong-node",
                "--listen",
                "127.0.0.1:" + agentPort,
                "--endpoint",
                "127.0.0.1:" + agentPort,
                "--token",
                this.operatorToken,
                "--no-gateway",
                "--no-sync-config",
                "--data-dir",
                this.work.resolve("agent-wrong").toString());

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.out() + result.err()).contains(wrong).contains(this.fingerprint.toString());
        assertThat(get("/api/v1/nodes").body()).contains("pinned-node").doesNotContain("wrong-node");
    }

    @Test
    @Order(4)
    void outboundJoinPinnedToTheCaShouldDialWssAndBeRoutedTo() throws Exception {
        Process join = this.launcher.start(
                "join-outbound",
                "join",
                "https://127.0.0.1:" + this.port,
                "--ca-fingerprint",
                this.fingerprint.toString(),
                "--connect",
                "outbound",
                "--name",
                "outbound-node",
                "--listen",
                "127.0.0.1:" + MeshCluster.freePort(),
                "--token",
                this.operatorToken,
                "--no-gateway",
                "--no-sync-config",
                "--data-dir",
                this.work.resolve("agent-outbound").toString());
        awaitNodesOnline(3, join, "join-outbound");

        // the message goes down the agent's wss:// link: no connection from the coordinator to the node
        Awaitility.await("routed through the outbound link")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> routes("outbound-node", "through wss"));
        assertThat(connectModeOf("outbound-node")).isEqualTo("outbound");
    }

    @Test
    @Order(5)
    void cliOverHttpsShouldTrustTheCaFileNextToTheTokenOrAPinnedFingerprint() throws Exception {
        String url = "https://127.0.0.1:" + this.port;

        Launcher.Result local = this.launcher.run("status", "--coordinator", url, "--token", this.operatorToken);
        Launcher.Result pinned = this.launcher.run(
                "nodes",
                "--coordinator",
                url,
                "--token",
                this.operatorToken,
                "--ca-fingerprint",
                this.fingerprint.toString());
        Launcher.Result wrong = this.launcher.run(
                "nodes",
                "--coordinator",
                url,
                "--token",
                this.operatorToken,
                "--ca-fingerprint",
                "sha256:" + "cd".repeat(32));

        assertThat(local.exitCode()).as(local.toString()).isZero();
        assertThat(local.out()).contains("3 nodes").contains("TLS: the mesh CA is " + this.fingerprint);
        assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
        assertThat(pinned.out()).contains("pinned-node");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(3);
        assertThat(wrong.err()).contains("refusing the coordinator").contains(this.fingerprint.toString());
    }

    private void awaitNodesOnline(int count, Process process, String log) {
        Awaitility.await(count + " nodes registered and live")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("claw-mesh " + log + " ended: " + this.launcher.log(log), () -> !process.isAlive())
                .until(() -> {
                    try {
                        HttpResponse<String> nodes = get("/api/v1/nodes");
                        return nodes.statusCode() == 200
                                && JSON.readTree(nodes.body())
                                                .valueStream()
                                                .filter((node) -> !"offline"
                                                        .equals(node.path("status")
                                                                .asString()))
                                                .count()
                                        == count;
                    } catch (IOException ex) {
                        return false;
                    }
                });
    }

    /** Whether a routed message to {@code node} comes back echoed, over the coordinator's HTTPS. */
    private boolean routes(String node, String content) throws IOException, InterruptedException {
        HttpResponse<String> routed = this.https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/api/v1/route/" + node))
                        .header("Authorization", "Bearer " + this.operatorToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return routed.statusCode() == 200 && routed.body().contains("[claw-mesh echo] " + content);
    }

    /** The connect mode ({@code inbound} or {@code outbound}) the coordinator lists for {@code node}. */
    private String connectModeOf(String node) throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/nodes").body())
                .valueStream()
                .filter((listed) -> listed.path("name").asString().equals(node))
                .findFirst()
                .orElseThrow()
                .path("connect")
                .asString();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path))
                        .header("Authorization", "Bearer " + this.operatorToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String random() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
