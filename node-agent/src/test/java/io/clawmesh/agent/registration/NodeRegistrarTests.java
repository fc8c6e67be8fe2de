package io.clawmesh.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.agent.Backoff;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RuntimeInfo;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;

@ExtendWith(OutputCaptureExtension.class)
class NodeRegistrarTests {

    private static final String URL = "http://127.0.0.1:9180";

    private static final Duration INTERVAL = Duration.ofSeconds(15);

    private static final Capabilities LINUX =
            new Capabilities("linux", "amd64", false, 16, List.of("lab"), List.of("docker"));

    @TempDir
    Path dataDir;

    private final FakeCoordinator coordinator = new FakeCoordinator();

    private final RegistrationState state = new RegistrationState();

    private final CapacityGate gate = new CapacityGate(2);

    private final AtomicReference<Capabilities> capabilities = new AtomicReference<>(LINUX);

    private final AtomicReference<RuntimeInfo> runtime = new AtomicReference<>(RuntimeInfo.echo());

    private NodeIdentityStore store;

    private NodeRegistrar service;

    @BeforeEach
    void setUp() {
        this.store = new NodeIdentityStore(this.dataDir);
        NodeReporter reporter = new NodeReporter(
                "mac-mini", () -> "192.168.1.20:9121", this.capabilities::get, this.runtime::get, this.gate);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0L);
        this.service = new NodeRegistrar(this.coordinator, this.store, this.state, reporter, URL, INTERVAL, backoff);
    }

    @Test
    void stepWhenNothingStoredShouldRegisterAndStoreTheIdentity() {
        this.service.start();

        Duration next = this.service.step();

        assertThat(next).isEqualTo(INTERVAL);
        assertThat(this.coordinator.registrations).singleElement().satisfies((request) -> {
            assertThat(request.name()).isEqualTo("mac-mini");
            assertThat(request.endpoint()).isEqualTo("192.168.1.20:9121");
            assertThat(request.capabilities()).isEqualTo(LINUX);
            assertThat(request.capacity()).isEqualTo(2);
            assertThat(request.nodeId()).isNull();
        });
        NodeIdentity stored = this.store.load().orElseThrow();
        assertThat(stored.nodeId()).isEqualTo("node-0000000000000001");
        assertThat(stored.coordinatorUrl()).isEqualTo(URL);
        assertThat(this.state.identity()).contains(stored);
    }

    @Test
    void stepWhenIdentityStoredForThisCoordinatorShouldHeartbeatWithoutRegistering() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", URL));
        this.service.start();

        this.service.step();

        assertThat(this.coordinator.registrations).isEmpty();
        assertThat(this.coordinator.heartbeatIds).containsExactly("node-00000000000000aa");
        assertThat(this.state.identity().orElseThrow().token()).isEqualTo("stored-token");
    }

    @Test
    void stepWhenAnOutboundConnectionIsOpenShouldHeartbeatUpItAndNotOverHttp() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", URL));
        this.service.start();
        List<HeartbeatRequest> overLink = new ArrayList<>();
        this.state.heartbeatOver(overLink::add);

        this.service.step();
        this.state.heartbeatOver((heartbeat) -> false);
        this.service.step();

        assertThat(overLink).hasSize(1);
        assertThat(this.coordinator.heartbeatIds)
                .as("over HTTP only when the connection could not take it")
                .containsExactly("node-00000000000000aa");
    }

    @Test
    void heartbeatWhenTheReplyRotatesTheTokenShouldStoreItBeforeUsingItAndKeepAcceptingTheOldCredential() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "old-token", URL));
        this.service.start();
        String oldCredential = this.state.deliveryCredential().orElseThrow();

        this.coordinator.rotateNext("new-token");
        this.service.step();

        NodeIdentity stored = this.store.load().orElseThrow();
        assertThat(stored.token()).isEqualTo("new-token");
        assertThat(stored.previousToken()).isEqualTo("old-token");
        assertThat(this.state.identity().orElseThrow().token()).isEqualTo("new-token");
        assertThat(this.state.deliveryCredential()).isNotEqualTo(Optional.of(oldCredential));
        assertThat(this.state.previousDeliveryCredential()).contains(oldCredential);
    }

    @Test
    void heartbeatWhenTheRotatedTokenCannotBeStoredShouldKeepUsingTheOldOne() throws Exception {
        this.store.save(new NodeIdentity("node-00000000000000aa", "old-token", URL));
        this.service.start();
        // a directory where node.json belongs: the atomic move into place fails
        Files.delete(this.store.file());
        Files.createDirectories(this.store.file().resolve("in-the-way"));

        this.coordinator.rotateNext("new-token");
        this.service.step();

        assertThat(this.state.identity().orElseThrow().token()).isEqualTo("old-token");
    }

    @Test
    void heartbeatWhenTheCertificateIsDueShouldCarryTheCsrOverHttpAndHandTheReplysChainBack() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "token", URL));
        this.service.start();
        RecordingRenewal renewal = new RecordingRenewal("node-00000000000000aa");
        this.service.renewCertificatesWith(renewal);
        List<HeartbeatRequest> overLink = new ArrayList<>();
        this.state.heartbeatOver(overLink::add);

        this.coordinator.certifyNext("chain-pem");
        this.service.step();

        assertThat(overLink).as("a CSR needs the HTTP reply").isEmpty();
        assertThat(this.coordinator.heartbeats)
                .singleElement()
                .extracting(HeartbeatRequest::csr)
                .isEqualTo("csr-pem");
        assertThat(renewal.renewed).containsExactly("chain-pem");
        assertThat(renewal.notRenewed).isEmpty();
    }

    @Test
    void heartbeatWhenTheReplyBringsNoCertificateOrRefusesTheCsrShouldSaySoAndStayRegistered() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "token", URL));
        this.service.start();
        RecordingRenewal renewal = new RecordingRenewal("node-00000000000000aa");
        this.service.renewCertificatesWith(renewal);

        this.service.step();
        this.coordinator.answerNext(HttpStatus.BAD_REQUEST);
        this.service.step();

        assertThat(renewal.renewed).isEmpty();
        assertThat(renewal.notRenewed).hasSize(2);
        assertThat(renewal.notRenewed.get(0)).contains("no certificate");
        assertThat(renewal.notRenewed.get(1)).contains("refused the CSR");
        assertThat(this.state.identity()).isPresent();
    }

    /** A renewal that is always due for one node and records what the heartbeats brought. */
    private static final class RecordingRenewal implements CertificateRenewal {

        private final String nodeId;

        final List<String> renewed = new ArrayList<>();

        final List<String> notRenewed = new ArrayList<>();

        RecordingRenewal(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public @org.jspecify.annotations.Nullable String csrIfDue(String nodeId) {
            return this.nodeId.equals(nodeId) ? "csr-pem" : null;
        }

        @Override
        public void renewed(String nodeId, String chainPem) {
            this.renewed.add(chainPem);
        }

        @Override
        public void notRenewed(String nodeId, String reason) {
            this.notRenewed.add(reason);
        }
    }

    @Test
    void rotateFromTheOutboundConnectionShouldStoreTheTokenAndConfirmItOverHttpOnce() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "old-token", URL));
        this.service.start();
        List<HeartbeatRequest> overLink = new ArrayList<>();
        this.state.heartbeatOver(overLink::add);

        this.state.nodeTokenReceived("new-token");
        this.service.step();
        this.service.step();

        assertThat(this.store.load().orElseThrow().token()).isEqualTo("new-token");
        assertThat(this.coordinator.heartbeatIds)
                .as("the first heartbeat after the rotation goes over HTTP, with the new token")
                .hasSize(1);
        assertThat(overLink).hasSize(1);
    }

    @Test
    void stepWhenIdentityStoredForAnotherCoordinatorShouldRegisterAsNewNode() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", "http://127.0.0.1:9999"));
        this.service.start();

        this.service.step();

        assertThat(this.coordinator.registrations)
                .singleElement()
                .satisfies((request) -> assertThat(request.nodeId()).isNull());
    }

    @Test
    void heartbeatWhenCoordinatorAnswers404ShouldRegisterAgainAtOnceWithTheStoredId() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", URL));
        this.service.start();
        this.coordinator.answerNext(HttpStatus.NOT_FOUND);

        Duration next = this.service.step();
        this.service.step();

        assertThat(next).isZero();
        assertThat(this.coordinator.registrations)
                .singleElement()
                .satisfies((request) -> assertThat(request.nodeId()).isEqualTo("node-00000000000000aa"));
        assertThat(this.state.identity().orElseThrow().nodeId()).isEqualTo("node-00000000000000aa");
        assertThat(this.store.load().orElseThrow().token()).isEqualTo("token-1");
    }

    @Test
    void heartbeatWhenCoordinatorAnswers401ShouldRegisterAgainWithTheStoredId() {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", URL));
        this.service.start();
        this.coordinator.answerNext(HttpStatus.UNAUTHORIZED);

        assertThat(this.service.step()).isZero();
        this.service.step();

        assertThat(this.coordinator.registrations)
                .singleElement()
                .satisfies((request) -> assertThat(request.nodeId()).isEqualTo("node-00000000000000aa"));
    }

    @Test
    void heartbeatWhenCoordinatorUnreachableShouldKeepTheIdentityAndLogOnceUntilItRecovers(CapturedOutput output) {
        this.store.save(new NodeIdentity("node-00000000000000aa", "stored-token", URL));
        this.service.start();
        this.coordinator.unreachableFor(3);

        List<Duration> delays = List.of(this.service.step(), this.service.step(), this.service.step());
        this.service.step();

        assertThat(delays).containsOnly(INTERVAL);
        assertThat(this.coordinator.registrations).isEmpty();
        assertThat(this.coordinator.heartbeatIds).containsExactly("node-00000000000000aa");
        assertThat(this.state.identity().orElseThrow().token()).isEqualTo("stored-token");
        assertThat(this.store.load().orElseThrow().nodeId()).isEqualTo("node-00000000000000aa");
        assertThat(occurrences(output.getOut(), "Heartbeat for node node-00000000000000aa"))
                .isEqualTo(1);
        assertThat(occurrences(output.getOut(), "reachable again")).isEqualTo(1);
    }

    @Test
    void registerWhenCoordinatorUnreachableShouldBackOffExponentiallyAndCapAtTheMaximum(CapturedOutput output) {
        this.service.start();
        this.coordinator.unreachableFor(8);

        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(this.service.step().toSeconds());
        }
        Duration afterSuccess = this.service.step();

        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
        assertThat(afterSuccess).isEqualTo(INTERVAL);
        assertThat(this.coordinator.registrations).hasSize(1);
        assertThat(output.getOut()).contains("unreachable (connection refused). Retrying in 1s.");
    }

    @Test
    void registerWhenNameTakenShouldRetryAtTheMaximumBackoffAndSayWhatToFix(CapturedOutput output) {
        this.service.start();
        this.coordinator.answerNext(HttpStatus.CONFLICT);

        Duration next = this.service.step();

        assertThat(next).isEqualTo(Duration.ofSeconds(60));
        assertThat(output.getOut()).contains("taken by another live node").contains("mesh.agent.name");
    }

    @Test
    void registerWhenJoinTokenWrongShouldBackOffAndSayWhichPropertyToSet(CapturedOutput output) {
        this.service.start();
        this.coordinator.answerNext(HttpStatus.UNAUTHORIZED).answerNext(HttpStatus.UNAUTHORIZED);

        assertThat(this.service.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(this.service.step()).isEqualTo(Duration.ofSeconds(2));
        assertThat(output.getOut()).contains("mesh.agent.token").contains("CLAW_MESH_TOKEN");
    }

    @Test
    void heartbeatShouldSendCapabilitiesAndRuntimeOnlyWhenTheyChanged() {
        this.service.start();
        this.service.step(); // registration carries capabilities and runtime

        this.service.step();
        this.capabilities.set(new Capabilities("linux", "amd64", true, 16, List.of("lab"), List.of("docker")));
        this.service.step();
        this.service.step();
        this.runtime.set(new RuntimeInfo("echo", null, false));
        this.service.step();

        assertThat(this.coordinator.heartbeats).hasSize(4);
        assertThat(this.coordinator.heartbeats.get(0).capabilities()).isNull();
        assertThat(this.coordinator.heartbeats.get(0).runtime()).isNull();
        assertThat(this.coordinator.heartbeats.get(1).capabilities().gpu()).isTrue();
        assertThat(this.coordinator.heartbeats.get(2).capabilities()).isNull();
        assertThat(this.coordinator.heartbeats.get(3).runtime().connected()).isFalse();
        assertThat(this.coordinator.heartbeats.get(3).status()).isEqualTo(NodeStatus.DEGRADED);
    }

    @Test
    void heartbeatWhenCapabilitiesFailedToArriveShouldSendThemAgain() {
        this.service.start();
        this.service.step();
        this.capabilities.set(new Capabilities("linux", "amd64", true, 16, List.of(), List.of()));
        this.coordinator.unreachableFor(1);

        this.service.step();
        this.service.step();

        assertThat(this.coordinator.heartbeats)
                .singleElement()
                .satisfies((heartbeat) -> assertThat(heartbeat.capabilities()).isNotNull());
    }

    @Test
    void heartbeatWhenAllSlotsTakenShouldReportBusyWithLoad() {
        this.service.start();
        this.service.step();
        this.gate.tryEnter();
        this.service.step();
        this.gate.tryEnter();
        this.service.step();

        assertThat(this.coordinator.heartbeats.get(0).status()).isEqualTo(NodeStatus.ONLINE);
        assertThat(this.coordinator.heartbeats.get(0).inflight()).isEqualTo(1);
        assertThat(this.coordinator.heartbeats.get(1).status()).isEqualTo(NodeStatus.BUSY);
        assertThat(this.coordinator.heartbeats.get(1).inflight()).isEqualTo(2);
        assertThat(this.coordinator.heartbeats.get(1).capacity()).isEqualTo(2);
    }

    @Test
    void deregisterShouldDeleteTheNodeKeepNodeJsonAndStopStepping() {
        this.service.start();
        this.service.step();

        this.service.deregister(Duration.ofSeconds(5));
        this.service.step();

        assertThat(this.coordinator.deregistrations).containsExactly("node-0000000000000001");
        assertThat(this.coordinator.heartbeats).isEmpty();
        assertThat(this.store.load()).isPresent();
    }

    @Test
    void deregisterWhenNeverRegisteredShouldCallNothing() {
        this.service.start();

        this.service.deregister(Duration.ofSeconds(5));

        assertThat(this.coordinator.deregistrations).isEmpty();
    }

    @Test
    void reasonWhenHttpUrlConnectionTimesOutShouldSayWhichTimeout() {
        assertThat(NodeRegistrar.reason(
                        new ResourceAccessException("I/O error", new SocketTimeoutException("Connect timed out"))))
                .isEqualTo("connect timed out");
        assertThat(NodeRegistrar.reason(
                        new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out"))))
                .isEqualTo("no answer in time");
        assertThat(NodeRegistrar.reason(
                        new ResourceAccessException("I/O error", new ConnectException("Connection refused"))))
                .isEqualTo("connection refused");
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
