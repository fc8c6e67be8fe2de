package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.tls.NoNodeCertificatesException;
import io.clawmesh.agent.tls.NodeCertificates;
import io.clawmesh.agent.tls.TestMeshCa;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.tls.CaFingerprint;
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
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's inbound API over mutual TLS on real sockets (SPEC §18, ADR 0012): it serves its node certificate of the
 * mesh CA, obtained from a CSR, and accepts only a client certificate of that CA for TLS client authentication (the
 * coordinator's), plus the delivery credential as before; it renews without a restart.
 */
class MutualTlsServerTests {

    private static final String NODE_ID = "node-0123456789abcdef";

    private static final String NODE_TOKEN = "node-secret-token";

    private static final String CREDENTIAL =
            NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

    private static final Duration LIFETIME = Duration.ofDays(30);

    private final TestMeshCa ca = new TestMeshCa("claw-mesh CA");

    private final RegistrationState state = new RegistrationState();

    private final ScriptedRuntime runtime = new ScriptedRuntime();

    private final CapacityGate gate = new CapacityGate(1);

    /**
     * The agent's clock starts three weeks back, so that every certificate the test CA issues "now" by that clock is
     * also valid by the real clock the TLS client checks, before and after the renewal test moves it on.
     */
    private final MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofDays(21)));

    @TempDir
    Path dataDir;

    private int signed;

    private NodeCertificates certificates;

    private AgentHttpServer server;

    @BeforeEach
    void start() {
        this.state.use(new NodeIdentity(NODE_ID, NODE_TOKEN, "https://127.0.0.1:9180"));
        this.certificates = certificates(this.dataDir, CaFingerprint.of(this.ca.certificate()));
        this.server = newServer();
        this.server.useTls(this.certificates.serverContext());
        this.server.start();
    }

    /** An agent server on a free loopback port, TLS not yet set. */
    private AgentHttpServer newServer() {
        return InboundConfiguration.server(
                "127.0.0.1",
                0,
                Duration.ofSeconds(1),
                new MessageDispatcher(this.runtime, this.gate, this.clock, Duration.ofMinutes(5)),
                new AgentTasks(
                        this.runtime,
                        this.gate,
                        this.clock,
                        Duration.ofHours(1),
                        100,
                        Duration.ofMinutes(5),
                        (run) -> Thread.ofVirtual().start(run)),
                this.state,
                this.runtime,
                this.gate,
                new LocalNode("mac-mini", this.dataDir),
                List.of());
    }

    private NodeCertificates certificates(Path dir, CaFingerprint pinned) {
        return new NodeCertificates(
                dir,
                this.state,
                (nodeId, csr) -> {
                    this.signed++;
                    return this.ca.signNode(nodeId, csr, this.clock.instant(), LIFETIME);
                },
                pinned,
                this.clock);
    }

    @AfterEach
    void stop() {
        this.runtime.release.countDown();
        this.server.stop();
    }

    @Test
    void beforeItsCertificateTheAgentShouldRefuseEvenTheCoordinator() {
        assertThatThrownBy(() -> health(this.ca.client(KeyPurposeId.id_kp_clientAuth)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theCoordinatorsClientCertificateShouldBeAcceptedAndTheCredentialStillChecked() throws Exception {
        this.certificates.step();
        SSLContext coordinator = this.ca.client(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

        assertThat(health(coordinator).statusCode()).isEqualTo(200);
        assertThat(message(coordinator, CREDENTIAL).statusCode()).isEqualTo(200);
        assertThat(message(coordinator, "wrong-credential").statusCode()).isEqualTo(403);
        assertThat(this.certificates.current().getSubjectX500Principal().getName())
                .isEqualTo("CN=" + NODE_ID);
    }

    @Test
    void theSuiteShouldBeTls13AndTheCheapestForThisJit() throws Exception {
        this.certificates.step();
        SSLContext coordinator = this.ca.client(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

        HttpResponse<String> answer = health(coordinator);

        var session = answer.sslSession().orElseThrow();
        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        // the server's order wins over the client's: ChaCha20 under C1 (the agent's recommended flags), else AES-GCM
        assertThat(session.getCipherSuite())
                .isEqualTo(
                        AgentHttpServer.C1_ONLY
                                ? AgentHttpServer.CHACHA20
                                : coordinator.getDefaultSSLParameters().getCipherSuites()[0]);
    }

    @Test
    void underC1TheServerShouldPreferChaCha20AndKeepTheSameSuites() {
        String[] jdk = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", AgentHttpServer.CHACHA20, "TLS_X"};

        assertThat(AgentHttpServer.cipherSuites(jdk, true))
                .containsExactly(AgentHttpServer.CHACHA20, "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_X");
        assertThat(AgentHttpServer.cipherSuites(jdk, false)).containsExactly(jdk);
        // a JDK configured without ChaCha20 keeps its own suites, none added
        assertThat(AgentHttpServer.cipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"}, true))
                .containsExactly("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void plainHttpShouldBeRefused() {
        this.certificates.step();
        HttpClient plain = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        assertThatThrownBy(() -> plain.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + this.server.port() + ApiPaths.AGENT_HEALTH))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClientWithoutCertificateShouldBeRefused() {
        this.certificates.step();

        assertThatThrownBy(() -> health(this.ca.anonymousClient())).isInstanceOf(IOException.class);
    }

    @Test
    void aClientCertificateOfAnotherCaShouldBeRefused() {
        this.certificates.step();
        TestMeshCa other = new TestMeshCa("claw-mesh CA");
        // trusts our CA for the server side, presents a certificate of the other CA
        SSLContext stranger = other.clientTrusting(this.ca.certificate(), KeyPurposeId.id_kp_clientAuth);

        assertThatThrownBy(() -> health(stranger)).isInstanceOf(IOException.class);
    }

    @Test
    void aNodeCertificateOfTheSameCaShouldNotPassForTheCoordinator() {
        this.certificates.step();
        // what every node holds: the mesh CA's certificate for server authentication only
        assertThatThrownBy(() -> health(this.ca.client(KeyPurposeId.id_kp_serverAuth)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void renewalThroughTheHeartbeatShouldSwapTheServedCertificateWithoutRestart() throws Exception {
        this.certificates.step();
        SSLContext coordinator = this.ca.client(KeyPurposeId.id_kp_clientAuth);
        X509Certificate first = served(coordinator);

        this.clock.advance(Duration.ofDays(10)); // a third of its life: not due
        assertThat(this.certificates.csrIfDue(NODE_ID)).isNull();
        Duration wait = this.certificates.step();
        assertThat(wait).isPositive();
        this.clock.advance(Duration.ofDays(11)); // past two thirds: the next heartbeat carries a CSR
        String csr = this.certificates.csrIfDue(NODE_ID);
        assertThat(csr).contains("BEGIN CERTIFICATE REQUEST");
        assertThat(this.certificates.csrIfDue("node-of-someone-else")).isNull();
        this.certificates.renewed(NODE_ID, this.ca.signNode(NODE_ID, csr, this.clock.instant(), LIFETIME));
        this.certificates.step();

        assertThat(this.signed)
                .as("the certificate endpoint was called for the first certificate only")
                .isEqualTo(1);
        X509Certificate second = served(coordinator);
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(second).isEqualTo(this.certificates.current());
        assertThat(this.certificates.csrIfDue(NODE_ID))
                .as("renewed: not due again")
                .isNull();
        assertThat(this.server.isRunning()).isTrue();
        try (var stored = Files.newInputStream(this.dataDir.resolve("tls/node.crt"))) {
            assertThat(java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(stored))
                    .as("stored for a restart")
                    .isEqualTo(second);
        }
    }

    @Test
    void aHeartbeatReplyWithACertificateForAnotherNodeOrNoneShouldBeRefusedAndAskedAgainLater() {
        this.certificates.step();
        X509Certificate first = this.certificates.current();
        this.clock.advance(Duration.ofDays(21));
        String csr = this.certificates.csrIfDue(NODE_ID);

        this.certificates.renewed(NODE_ID, this.ca.signNode("node-other", csr, this.clock.instant(), LIFETIME));

        assertThat(this.certificates.current()).isEqualTo(first);
        assertThat(this.certificates.csrIfDue(NODE_ID))
                .as("not on every heartbeat")
                .isNull();
        this.clock.advance(Duration.ofSeconds(6));
        assertThat(this.certificates.csrIfDue(NODE_ID)).isNotNull();
        this.certificates.notRenewed(NODE_ID, "the heartbeat reply carried no certificate");
        assertThat(this.certificates.csrIfDue(NODE_ID)).isNull();
    }

    @Test
    void aCoordinatorThatSignsNoNodeCertificatesShouldNotBeAskedEveryFewSeconds() {
        NodeCertificates unsigned = new NodeCertificates(
                this.dataDir.resolve("unsigned"),
                this.state,
                (nodeId, csr) -> {
                    throw new NoNodeCertificatesException("the coordinator has no certificate endpoint");
                },
                CaFingerprint.of(this.ca.certificate()),
                this.clock);

        Duration wait = unsigned.step();

        assertThat(wait).isEqualTo(Duration.ofHours(1));
        assertThat(unsigned.current()).isNull();
    }

    @Test
    void whenHeartbeatsDidNotRenewByFiveSixthsTheCertificateEndpointShould() {
        this.certificates.step();
        X509Certificate first = this.certificates.current();

        this.clock.advance(Duration.ofDays(24)); // past two thirds, before five sixths: heartbeats' turn
        this.certificates.step();
        assertThat(this.signed).isEqualTo(1);
        this.clock.advance(Duration.ofDays(2)); // past five sixths
        this.certificates.step();

        assertThat(this.signed).isEqualTo(2);
        assertThat(this.certificates.current()).isNotEqualTo(first);
    }

    @Test
    void theKeyShouldBePrivateAndARestartedNodeShouldServeItsStoredCertificate() throws Exception {
        this.certificates.step();
        Path key = this.dataDir.resolve("tls/node.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");

        NodeCertificates restarted = certificates(this.dataDir, CaFingerprint.of(this.ca.certificate()));
        restarted.load();

        assertThat(restarted.current()).isEqualTo(this.certificates.current());
        assertThat(this.signed).isEqualTo(1);
        // and it serves it: the key read back from the file makes a handshake
        this.server.stop();
        this.server = newServer();
        this.server.useTls(restarted.serverContext());
        this.server.start();
        assertThat(served(this.ca.client(KeyPurposeId.id_kp_clientAuth))).isEqualTo(restarted.current());
    }

    @Test
    void aStoredCertificateOfAnotherCaThanThePinnedOneShouldNotBeServed() {
        this.certificates.step();

        NodeCertificates repinned =
                certificates(this.dataDir, CaFingerprint.of(new TestMeshCa("another mesh").certificate()));
        repinned.load();

        assertThat(repinned.current()).isNull();
    }

    @Test
    void aCaOtherThanThePinnedOneShouldNotBeServed() {
        NodeCertificates wrongPin =
                certificates(this.dataDir.resolve("other"), CaFingerprint.of(new TestMeshCa("x").certificate()));

        wrongPin.step();

        assertThat(wrongPin.current()).isNull();
    }

    private X509Certificate served(SSLContext client) throws Exception {
        HttpResponse<String> response = health(client);
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private HttpResponse<String> health(SSLContext client) throws IOException, InterruptedException {
        return client(client)
                .send(
                        HttpRequest.newBuilder(uri(ApiPaths.AGENT_HEALTH))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> message(SSLContext client, String credential)
            throws IOException, InterruptedException {
        return client(client)
                .send(
                        HttpRequest.newBuilder(uri(ApiPaths.AGENT_MESSAGES))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + credential)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"msg-1\",\"content\":\"hello\","
                                        + "\"source\":\"cli\",\"session_key\":\"s-1\","
                                        + "\"created_at\":\"2026-11-23T23:00:00Z\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(SSLContext context) {
        // a new client per call: a new connection, so each call makes its own handshake
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(context)
                .build();
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + this.server.port() + path);
    }
}
