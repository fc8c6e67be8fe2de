package io.clawmesh.coordinator.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.NodeFixtures;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.Registrant;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/nodes/{id}/connect} against the whole coordinator on a real port, with the JDK's WebSocket client
 * playing the agent: who may connect, what bad frames do, and that routed messages, acknowledgements and dropped
 * connections follow ADR 0010.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + OutboundConnectionIntegrationTests.OPERATOR_TOKEN,
            "mesh.security.join-token=" + OutboundConnectionIntegrationTests.JOIN_TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h",
            "mesh.registry.full-refresh=1h",
            "mesh.outbound.grace=300ms",
            "mesh.forwarding.cooldown=1ms"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class OutboundConnectionIntegrationTests {

    static final String OPERATOR_TOKEN = "cmo_test-operator-token-for-outbound";

    static final String JOIN_TOKEN = "cmj_test-join-token-for-outbound";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    @Autowired
    NodeRegistry registry;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void startFromAnEmptyMesh() {
        for (Node node : List.copyOf(this.registry.all())) {
            this.registry.deregister(node.id(), "test reset");
        }
    }

    @Test
    void registerOutboundWithoutEndpointShouldAnswerOutboundAndKeepTheNodeOfflineUntilItConnects() throws Exception {
        RegisterNodeResponse node = register("out-1", null, ConnectMode.OUTBOUND);
        assertThat(node.connect()).isEqualTo(ConnectMode.OUTBOUND);
        assertThat(status(node)).as("not routable without its connection").isEqualTo(NodeStatus.OFFLINE);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            assertThat(agent.isOpen()).isTrue();
            assertThat(this.meters.get("mesh.outbound.connections").gauge().value())
                    .isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void registerAutoWithAPrivateEndpointTheCoordinatorRefusesShouldChooseOutbound() {
        RegisterNodeResponse node = register("auto-1", "192.168.1.30:9121", ConnectMode.AUTO);
        assertThat(node.connect()).isEqualTo(ConnectMode.OUTBOUND);
        assertThat(this.registry.find(node.nodeId()).orElseThrow().endpoint()).isEqualTo("192.168.1.30:9121");
    }

    @Test
    void registerWhenTheConnectModeIsUnknownOrNotTextShouldAnswer400() throws Exception {
        for (String connect : List.of("\"sideways\"", "42", "[\"outbound\"]")) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/nodes/register"))
                            .header("Authorization", "Bearer " + JOIN_TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bad-mode\",\"connect\":" + connect
                                    + ",\"capabilities\":{\"os\":\"linux\",\"arch\":\"amd64\",\"gpu\":false,"
                                    + "\"memory_gb\":1}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as(connect + ": " + response.body())
                    .isEqualTo(400);
            assertThat(response.body()).contains("urn:clawmesh:problem:invalid-field-type");
        }
        assertThat(this.registry.findByIdOrName("bad-mode")).isEmpty();
    }

    @Test
    void connectWithoutTokenShouldAnswer401() {
        RegisterNodeResponse node = register("out-2", null, ConnectMode.OUTBOUND);
        assertThat(handshakeStatus(uri(node.nodeId()), null)).isEqualTo(401);
    }

    @Test
    void connectWithTheOperatorOrJoinTokenShouldAnswer403() {
        RegisterNodeResponse node = register("out-3", null, ConnectMode.OUTBOUND);
        assertThat(handshakeStatus(uri(node.nodeId()), OPERATOR_TOKEN)).isEqualTo(403);
        assertThat(handshakeStatus(uri(node.nodeId()), JOIN_TOKEN)).isEqualTo(403);
    }

    @Test
    void connectWithAnotherNodesTokenOrAWrongIdShouldAnswer403() {
        RegisterNodeResponse victim = register("out-4", null, ConnectMode.OUTBOUND);
        RegisterNodeResponse attacker = register("out-5", null, ConnectMode.OUTBOUND);
        assertThat(handshakeStatus(uri(victim.nodeId()), attacker.token())).isEqualTo(403);
        assertThat(handshakeStatus(uri("node-0000000000000000"), attacker.token()))
                .isEqualTo(403);
        assertThat(handshakeStatus(uri("..%2f..%2fregister"), attacker.token())).isIn(400, 403, 404);
        assertThat(handshakeStatus(uri(attacker.nodeId()), "cmn_not-a-token")).isEqualTo(401);
    }

    @Test
    void connectForAnInboundNodeShouldAnswer409() {
        RegisterNodeResponse node = register("in-1", "93.184.216.34:9121", ConnectMode.INBOUND);
        assertThat(handshakeStatus(uri(node.nodeId()), node.token())).isEqualTo(409);
    }

    @Test
    void aSecondConnectionShouldReplaceTheFirst() throws Exception {
        RegisterNodeResponse node = register("out-6", null, ConnectMode.OUTBOUND);
        try (FakeAgent first = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            // the first is attached before the second opens (the handshake completes a little before that)
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            FakeAgent second = FakeAgent.connect(uri(node.nodeId()), node.token());
            assertThat(first.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(4000);
            assertThat(second.isOpen()).isTrue();
            assertThat(status(node)).isEqualTo(NodeStatus.ONLINE);
            second.close();
        }
    }

    @Test
    void aFrameThatIsNotJsonShouldCloseTheConnectionWith1007() throws Exception {
        RegisterNodeResponse node = register("out-7", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            agent.sendRaw("{not json");
            assertThat(agent.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1007);
        }
    }

    @Test
    void anOversizedFrameShouldCloseTheConnectionWith1009() throws Exception {
        RegisterNodeResponse node = register("out-8", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            agent.sendRaw(
                    "{\"type\":\"body\",\"id\":\"x\",\"data\":\"" + "a".repeat(LinkFrame.MAX_FRAME_CHARS * 3) + "\"}");
            assertThat(agent.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void aHeartbeatOnAnOpenConnectionShouldBringANodeWhoseLeaseRanOutBackOnline() throws Exception {
        RegisterNodeResponse node = register("out-lapsed", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            // what the lease sweeper does when heartbeats pause longer than the timeout
            this.registry.transition(node.nodeId(), NodeStatus.OFFLINE, "lease expired");

            agent.sendRaw("{\"type\":\"heartbeat\",\"heartbeat\":{\"status\":\"online\",\"inflight\":0}}");

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
        }
    }

    @Test
    void aFrameLargerThanTheReceiveBufferShouldBeJoinedFromItsPiecesAndTaken() throws Exception {
        RegisterNodeResponse node = register("out-big", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            String padding = " ".repeat(AgentSocketHandler.RECEIVE_BUFFER_CHARS * 5);
            agent.sendRaw("{\"type\":\"heartbeat\"," + padding
                    + "\"heartbeat\":{\"status\":\"online\",\"inflight\":3,\"capacity\":8}}");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> this.registry
                                    .find(node.nodeId())
                                    .map(Node::reportedInflight)
                                    .orElse(0)
                            == 3);
            assertThat(agent.isOpen()).isTrue();
        }
    }

    @Test
    void aRoutedMessageShouldGoDownTheConnectionAndItsReplyComeBackInPieces() throws Exception {
        RegisterNodeResponse node = register("out-9", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            CompletableFuture<HttpResponse<String>> answer = routeAsync("hello");
            LinkFrame request = agent.next();
            assertThat(request.type()).isEqualTo(LinkFrame.REQUEST);
            assertThat(request.path()).isEqualTo("/api/v1/messages");
            assertThat(request.headers()).containsKey("Authorization");
            assertThat(request.last())
                    .as("an agent without the version header gets version 1 frames")
                    .isNull();
            assertThat(request.data()).isNull();
            String body = agent.bodyOf(request.id());
            Map<?, ?> message = JSON.readValue(body, Map.class);
            String reply = "é".repeat(LinkFrame.MAX_DATA_CHARS * 2);
            String answerJson = JSON.writeValueAsString(
                    Map.of("message_id", message.get("id"), "node_id", node.nodeId(), "response", reply));
            agent.send(LinkFrame.of(LinkFrame.ACK, request.id()));
            agent.send(LinkFrame.response(request.id(), 200, Map.of("Content-Type", "application/json")));
            for (int i = 0; i < answerJson.length(); i += LinkFrame.MAX_DATA_CHARS) {
                agent.send(LinkFrame.body(
                        request.id(),
                        answerJson.substring(i, Math.min(answerJson.length(), i + LinkFrame.MAX_DATA_CHARS))));
            }
            agent.send(LinkFrame.of(LinkFrame.END, request.id()));
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readValue(response.body(), Map.class)).containsEntry("response", reply);
        }
    }

    @Test
    void aConnectionThatDropsAfterTheAckShouldFailTheMessageWithoutResendingIt() throws Exception {
        RegisterNodeResponse node = register("out-10", null, ConnectMode.OUTBOUND);
        FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
        CompletableFuture<HttpResponse<String>> answer = routeAsync("run me once");
        LinkFrame request = agent.next();
        agent.bodyOf(request.id());
        agent.send(LinkFrame.of(LinkFrame.ACK, request.id()));
        agent.close();
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.body()).contains("after it accepted the message");
        Awaitility.await("offline after the grace")
                .atMost(Duration.ofSeconds(5))
                .until(() -> status(node) == NodeStatus.OFFLINE);
    }

    @Test
    void aConnectionThatDropsBeforeTheAckShouldLetTheMessageFailOver() throws Exception {
        RegisterNodeResponse dropping = register("out-11", null, ConnectMode.OUTBOUND);
        RegisterNodeResponse healthy = register("out-12", null, ConnectMode.OUTBOUND);
        FakeAgent first = FakeAgent.connect(uri(dropping.nodeId()), dropping.token());
        try (FakeAgent second = FakeAgent.connect(uri(healthy.nodeId()), healthy.token())) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(dropping) == NodeStatus.ONLINE && status(healthy) == NodeStatus.ONLINE);
            first.dropOnRequest();
            second.echoOnRequest(healthy.nodeId());
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = routeAsync("fail over " + i).get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).contains("out-12");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aVersion2AgentShouldGetASmallRequestAsOneFrameAndMayAnswerInOne() throws Exception {
        RegisterNodeResponse node = register("out-v2-1", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            CompletableFuture<HttpResponse<String>> answer = routeAsync("hello in one frame");
            LinkFrame request = agent.next();
            assertThat(request.type()).isEqualTo(LinkFrame.REQUEST);
            assertThat(request.path()).isEqualTo("/api/v1/messages");
            assertThat(request.last()).isTrue();
            Map<String, Object> message =
                    JSON.readValue(request.data(), new tools.jackson.core.type.TypeReference<>() {});
            assertThat(message).containsEntry("content", "hello in one frame");
            agent.send(LinkFrame.of(LinkFrame.ACK, request.id()));
            agent.send(LinkFrame.response(
                    request.id(),
                    200,
                    Map.of("Content-Type", "application/json"),
                    JSON.writeValueAsString(
                            Map.of("message_id", message.get("id"), "node_id", node.nodeId(), "response", "one frame")),
                    true));
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readValue(response.body(), Map.class)).containsEntry("response", "one frame");
            assertThat(agent.nextOrNull())
                    .as("no end frame after a request that ended")
                    .isNull();
        }
    }

    @Test
    void aLargeRequestToAVersion2AgentShouldGoAsAHeadWithTheFirstPieceThenPiecesTheLastOfWhichEndsIt()
            throws Exception {
        RegisterNodeResponse node = register("out-v2-11", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            String content = "ü".repeat(LinkFrame.MAX_DATA_CHARS * 2 + 100);
            routeAsync(content);
            LinkFrame request = agent.next();
            assertThat(request.type()).isEqualTo(LinkFrame.REQUEST);
            assertThat(request.last()).isFalse();
            assertThat(request.data()).hasSize(LinkFrame.MAX_DATA_CHARS);
            List<LinkFrame> pieces = List.of(agent.next(), agent.next());
            assertThat(pieces).extracting(LinkFrame::type).containsOnly(LinkFrame.BODY);
            assertThat(pieces.get(0).ends()).isFalse();
            assertThat(pieces.get(1).ends()).isTrue();
            Map<?, ?> message = JSON.readValue(
                    request.data() + pieces.get(0).data() + pieces.get(1).data(), Map.class);
            assertThat(message.get("content")).isEqualTo(content);
            assertThat(agent.nextOrNull())
                    .as("no end frame after the piece that ended it")
                    .isNull();
        }
    }

    @Test
    void aVersion2AnswerWhoseHeadCarriesTheFirstPieceAndWhoseLastPieceEndsShouldBeJoined() throws Exception {
        RegisterNodeResponse node = register("out-v2-2", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            CompletableFuture<HttpResponse<String>> answer = routeAsync("hello in pieces");
            LinkFrame request = agent.next();
            Map<?, ?> message = JSON.readValue(agent.requestBody(request), Map.class);
            String reply = "é".repeat(LinkFrame.MAX_DATA_CHARS * 2);
            String answerJson = JSON.writeValueAsString(
                    Map.of("message_id", message.get("id"), "node_id", node.nodeId(), "response", reply));
            List<String> pieces = io.clawmesh.common.link.BodyPieces.split(answerJson, LinkFrame.MAX_DATA_CHARS);
            agent.send(LinkFrame.of(LinkFrame.ACK, request.id()));
            agent.send(LinkFrame.response(
                    request.id(), 200, Map.of("Content-Type", "application/json"), pieces.getFirst(), false));
            for (int i = 1; i < pieces.size() - 1; i++) {
                agent.send(LinkFrame.body(request.id(), pieces.get(i)));
            }
            agent.send(LinkFrame.lastBody(request.id(), pieces.getLast()));
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readValue(response.body(), Map.class)).containsEntry("response", reply);
        }
    }

    @Test
    void aVersion2ConnectionThatDropsAfterTheAckShouldFailTheMessageWithoutResendingIt() throws Exception {
        RegisterNodeResponse node = register("out-v2-3", null, ConnectMode.OUTBOUND);
        RegisterNodeResponse other = register("out-v2-4", null, ConnectMode.OUTBOUND);
        FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2");
        try (FakeAgent healthy = FakeAgent.connect(uri(other.nodeId()), other.token(), "2")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(node) == NodeStatus.ONLINE && status(other) == NodeStatus.ONLINE);
            healthy.echoOnRequest(other.nodeId());
            agent.acceptAndDropOnRequest();
            int served = 0;
            HttpResponse<String> rejected = null;
            for (int i = 0; i < 8 && rejected == null; i++) {
                HttpResponse<String> response = routeAsync("run me once " + i).get(10, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    served++;
                } else {
                    rejected = response;
                }
            }
            assertThat(rejected)
                    .as("one message reached the agent that accepts and drops")
                    .isNotNull();
            assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(502);
            assertThat(rejected.body()).contains("after it accepted the message");
            assertThat(healthy.requestsSeen())
                    .as("the accepted message is not resent")
                    .isEqualTo(served);
        } finally {
            agent.close();
        }
    }

    @Test
    void aVersion2ConnectionThatDropsBeforeTheAckShouldLetTheMessageFailOver() throws Exception {
        RegisterNodeResponse dropping = register("out-v2-5", null, ConnectMode.OUTBOUND);
        RegisterNodeResponse healthy = register("out-v2-6", null, ConnectMode.OUTBOUND);
        FakeAgent first = FakeAgent.connect(uri(dropping.nodeId()), dropping.token(), "2");
        try (FakeAgent second = FakeAgent.connect(uri(healthy.nodeId()), healthy.token(), "2")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(dropping) == NodeStatus.ONLINE && status(healthy) == NodeStatus.ONLINE);
            first.dropOnRequest();
            second.echoOnRequest(healthy.nodeId());
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = routeAsync("fail over " + i).get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).contains("out-v2-6");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void connectWithALinkVersionThatIsNotOneShouldAnswer400() throws Exception {
        RegisterNodeResponse node = register("out-v2-7", null, ConnectMode.OUTBOUND);
        for (String version : List.of("two", "0", "-1", "100", "2.0", " ", "9".repeat(500))) {
            assertThat(handshakeStatus(uri(node.nodeId()), node.token(), version))
                    .as("'" + version + "'")
                    .isEqualTo(400);
        }
        assertThat(status(node)).isEqualTo(NodeStatus.OFFLINE);
        // a newer agent's version: this coordinator speaks its own newest with it
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "7")) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            routeAsync("newer agent");
            assertThat(agent.next().last()).isTrue();
        }
    }

    @Test
    void aVersion2HeadWithAMistypedLastShouldCloseTheConnectionWith1007() throws Exception {
        RegisterNodeResponse node = register("out-v2-8", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            agent.sendRaw("{\"type\":\"response\",\"id\":\"x1\",\"status\":200,\"data\":\"{}\",\"last\":\"yes\"}");
            assertThat(agent.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1007);
        }
    }

    @Test
    void anOversizedVersion2HeadShouldCloseTheConnectionWith1009() throws Exception {
        RegisterNodeResponse node = register("out-v2-9", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            agent.sendRaw("{\"type\":\"response\",\"id\":\"x1\",\"status\":200,\"last\":true,\"data\":\""
                    + "a".repeat(AgentSocketHandler.MAX_FRAME_CHARS) + "\"}");
            assertThat(agent.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void aVersion2ReplyForAnExchangeThatIsNotOpenShouldBeDroppedAndTheConnectionStayUsable() throws Exception {
        RegisterNodeResponse node = register("out-v2-10", null, ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token(), "2")) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(node) == NodeStatus.ONLINE);
            agent.send(LinkFrame.response("x999", 200, Map.of(), "{}", true));
            agent.send(LinkFrame.lastBody("x998", "stray"));
            agent.echoOnRequest(node.nodeId());
            HttpResponse<String> response = routeAsync("still served").get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(agent.isOpen()).isTrue();
        }
    }

    private RegisterNodeResponse register(String name, @Nullable String endpoint, ConnectMode connect) {
        return this.registry.register(
                new RegisterNodeRequest(
                        name, endpoint, NodeFixtures.macMini(), 4, new RuntimeInfo("echo", null, true), null, connect),
                Registrant.operator());
    }

    private NodeStatus status(RegisterNodeResponse node) {
        return this.registry.find(node.nodeId()).map(Node::status).orElseThrow();
    }

    private URI uri(String nodeId) {
        return URI.create("ws://127.0.0.1:" + this.port + "/api/v1/nodes/" + nodeId + "/connect");
    }

    private CompletableFuture<HttpResponse<String>> routeAsync(String content) {
        return HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/route"))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("content", content))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int handshakeStatus(URI uri, @Nullable String token) {
        return handshakeStatus(uri, token, null);
    }

    private static int handshakeStatus(URI uri, @Nullable String token, @Nullable String linkVersion) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (linkVersion != null) {
            builder.header(LinkFrame.VERSION_HEADER, linkVersion);
        }
        try {
            builder.buildAsync(uri, new WebSocket.Listener() {}).join().abort();
            return 101;
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw ex;
        }
    }

    /** The test's agent: a real WebSocket client that records the frames that come down. */
    static final class FakeAgent implements WebSocket.Listener, AutoCloseable {

        private final BlockingQueue<LinkFrame> frames = new LinkedBlockingQueue<>();

        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

        private final StringBuilder partial = new StringBuilder();

        private volatile @Nullable String behaviour;

        private volatile @Nullable String nodeId;

        private WebSocket socket;

        private final java.util.concurrent.atomic.AtomicInteger requests =
                new java.util.concurrent.atomic.AtomicInteger();

        static FakeAgent connect(URI uri, String token) {
            return connect(uri, token, null);
        }

        /** An agent that announces {@code linkVersion} ({@code null}: no header, as agents before version 2). */
        static FakeAgent connect(URI uri, String token, @Nullable String linkVersion) {
            FakeAgent agent = new FakeAgent();
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token);
            if (linkVersion != null) {
                builder.header(LinkFrame.VERSION_HEADER, linkVersion);
            }
            agent.socket = builder.buildAsync(uri, agent).join();
            return agent;
        }

        /** Requests that came down, whatever the behaviour. */
        int requestsSeen() {
            return this.requests.get();
        }

        void acceptAndDropOnRequest() {
            this.behaviour = "accept-and-drop";
        }

        @Nullable
        LinkFrame nextOrNull() throws InterruptedException {
            return this.frames.poll(300, TimeUnit.MILLISECONDS);
        }

        /** The body of a request whose head came already, in version 1 or 2 frames. */
        String requestBody(LinkFrame request) throws InterruptedException {
            StringBuilder body = new StringBuilder((request.data() != null) ? request.data() : "");
            if (request.ends()) {
                return body.toString();
            }
            for (LinkFrame frame = next(); !LinkFrame.END.equals(frame.type()); frame = next()) {
                assertThat(frame.id()).isEqualTo(request.id());
                body.append(frame.data());
                if (frame.ends()) {
                    break;
                }
            }
            return body.toString();
        }

        boolean isOpen() {
            return !this.socket.isOutputClosed() && !this.closeCode.isDone();
        }

        CompletableFuture<Integer> closeCode() {
            return this.closeCode;
        }

        void dropOnRequest() {
            this.behaviour = "drop";
        }

        void echoOnRequest(String id) {
            this.nodeId = id;
            this.behaviour = "echo";
        }

        LinkFrame next() throws InterruptedException {
            LinkFrame frame = this.frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame from the coordinator").isNotNull();
            return frame;
        }

        String bodyOf(String id) throws InterruptedException {
            StringBuilder body = new StringBuilder();
            for (LinkFrame frame = next(); !LinkFrame.END.equals(frame.type()); frame = next()) {
                assertThat(frame.id()).isEqualTo(id);
                body.append(frame.data());
            }
            return body.toString();
        }

        void send(LinkFrame frame) {
            sendRaw(JSON.writeValueAsString(frame));
        }

        synchronized void sendRaw(String text) {
            try {
                this.socket.sendText(text, true).join();
            } catch (CompletionException ex) {
                // closed by the coordinator: the test looks at the close code
            }
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            this.partial.append(data);
            if (last) {
                LinkFrame frame = JSON.readValue(this.partial.toString(), LinkFrame.class);
                this.partial.setLength(0);
                react(webSocket, frame);
            }
            webSocket.request(1);
            return null;
        }

        private void react(WebSocket webSocket, LinkFrame frame) {
            if (LinkFrame.REQUEST.equals(frame.type())) {
                this.requests.incrementAndGet();
            }
            if ("drop".equals(this.behaviour) && LinkFrame.REQUEST.equals(frame.type())) {
                webSocket.abort();
                this.closeCode.complete(-1);
                return;
            }
            boolean complete = LinkFrame.END.equals(frame.type()) || frame.ends();
            if ("accept-and-drop".equals(this.behaviour) && complete) {
                Thread.ofVirtual().start(() -> {
                    send(LinkFrame.of(LinkFrame.ACK, frame.id()));
                    webSocket.abort();
                    this.closeCode.complete(-1);
                });
                return;
            }
            if ("echo".equals(this.behaviour) && complete) {
                String answer = "{\"message_id\":\"m\",\"node_id\":\"" + this.nodeId + "\",\"response\":\"echo\"}";
                boolean compact = frame.last() != null;
                Thread.ofVirtual().start(() -> {
                    send(LinkFrame.of(LinkFrame.ACK, frame.id()));
                    if (compact) {
                        send(LinkFrame.response(
                                frame.id(), 200, Map.of("Content-Type", "application/json"), answer, true));
                        return;
                    }
                    send(LinkFrame.response(frame.id(), 200, Map.of("Content-Type", "application/json")));
                    send(LinkFrame.body(frame.id(), answer));
                    send(LinkFrame.of(LinkFrame.END, frame.id()));
                });
                return;
            }
            if (this.behaviour == null) {
                this.frames.add(frame);
            }
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            this.closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            this.closeCode.complete(-1);
        }

        @Override
        public void close() {
            this.socket.abort();
        }
    }
}
