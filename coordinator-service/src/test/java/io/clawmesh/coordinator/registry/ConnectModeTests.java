package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import io.clawmesh.coordinator.events.RecordedEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a registration's connect mode is decided and kept (ADR 0010). */
class ConnectModeTests {

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private NodeRepository repository;

    @BeforeEach
    void setUp() {
        this.database = TestDatabase.h2();
        this.repository = RegistryFixtures.repository(this.database);
    }

    @AfterEach
    void tearDown() {
        this.database.close();
    }

    @Test
    void registerWhenNoModeIsAskedShouldAnswerInboundAndRequireAnEndpoint() {
        NodeRegistry registry = registry(new EndpointPolicy(true));
        RegisterNodeResponse response = registry.register(RegistryFixtures.request("gpu-1", "10.0.0.1:9121"));
        assertThat(response.connect()).isEqualTo(ConnectMode.INBOUND);
        assertThat(registry.find(response.nodeId()).orElseThrow().outbound()).isFalse();
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> registry.register(request("gpu-2", null, ConnectMode.INBOUND)));
    }

    @Test
    void registerWhenOutboundShouldNeedNoEndpointAndSkipThePolicy() {
        NodeRegistry registry = registry(new EndpointPolicy(false));
        RegisterNodeResponse bare = registry.register(request("nat-1", null, ConnectMode.OUTBOUND));
        RegisterNodeResponse lan = registry.register(request("nat-2", "192.168.1.30:9121", ConnectMode.OUTBOUND));
        assertThat(bare.connect()).isEqualTo(ConnectMode.OUTBOUND);
        assertThat(registry.find(bare.nodeId()).orElseThrow().endpoint()).isEmpty();
        assertThat(registry.find(lan.nodeId()).orElseThrow().endpoint())
                .as("a private address is fine: the coordinator never dials an outbound node")
                .isEqualTo("192.168.1.30:9121");
        assertThatExceptionOfType(InvalidInputException.class)
                .as("but a malformed one is still refused")
                .isThrownBy(() -> registry.register(request("nat-3", "http://x", ConnectMode.OUTBOUND)));
    }

    @Test
    void registerWhenAutoAndThePolicyRefusesTheEndpointShouldChooseOutbound() {
        NodeRegistry registry = registry(new EndpointPolicy(false));
        assertThat(registry.register(request("auto-1", "10.0.0.1:9121", ConnectMode.AUTO))
                        .connect())
                .isEqualTo(ConnectMode.OUTBOUND);
        assertThat(registry.register(request("auto-2", null, ConnectMode.AUTO)).connect())
                .isEqualTo(ConnectMode.OUTBOUND);
    }

    @Test
    void registerWhenAutoAndTheEndpointAnswersItsHealthShouldChooseInbound() throws Exception {
        HttpServer agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.createContext("/healthz", (exchange) -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        agent.start();
        try {
            NodeRegistry registry = registry(new EndpointPolicy(false, true, InetAddress::getAllByName));
            String endpoint = "127.0.0.1:" + agent.getAddress().getPort();
            assertThat(registry.register(request("auto-3", endpoint, ConnectMode.AUTO))
                            .connect())
                    .isEqualTo(ConnectMode.INBOUND);
        } finally {
            agent.stop(0);
        }
        NodeRegistry registry = registry(new EndpointPolicy(false, true, InetAddress::getAllByName));
        assertThat(registry.register(request(
                                "auto-4", "127.0.0.1:" + agent.getAddress().getPort(), ConnectMode.AUTO))
                        .connect())
                .as("nothing answers any more")
                .isEqualTo(ConnectMode.OUTBOUND);
    }

    @Test
    void heartbeatWhenAnOutboundNodeIsOfflineShouldRenewItsLeaseButNotBringItBack() {
        NodeRegistry registry = registry(new EndpointPolicy(false));
        String id =
                registry.register(request("nat-4", null, ConnectMode.OUTBOUND)).nodeId();
        registry.transition(id, NodeStatus.OFFLINE, "connection lost");
        this.clock.advance(Duration.ofSeconds(15));

        Node renewed = registry.heartbeat(id, RegistryFixtures.alive());

        assertThat(renewed.status()).isEqualTo(NodeStatus.OFFLINE);
        assertThat(renewed.lastHeartbeat()).isEqualTo(this.clock.instant());
        registry.confirmAlive(id, null, this.clock.instant(), "outbound connection opened");
        assertThat(registry.find(id).orElseThrow().status()).isEqualTo(NodeStatus.ONLINE);
    }

    private NodeRegistry registry(EndpointPolicy policy) {
        return new NodeRegistry(
                this.repository,
                RegistryFixtures.cache(this.repository, this.clock),
                policy,
                new EndpointReachability(policy, Duration.ofSeconds(1)),
                RegistryFixtures.properties(),
                this.clock,
                new RecordedEvents());
    }

    private static RegisterNodeRequest request(String name, @Nullable String endpoint, ConnectMode connect) {
        return new RegisterNodeRequest(name, endpoint, RegistryFixtures.linuxGpu(), null, null, null, connect);
    }
}
