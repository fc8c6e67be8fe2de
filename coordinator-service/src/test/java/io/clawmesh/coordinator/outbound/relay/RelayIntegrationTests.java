package io.clawmesh.coordinator.outbound.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeFixtures;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.Registrant;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replica-to-replica relay against the whole coordinator on a real port, with the JDK's WebSocket client playing
 * an outbound agent: who may call the relay and with what, that a relayed request goes down the agent's connection and
 * its answer streams back, that the agent's acknowledgement decides failover as it does locally, and that the
 * database says which replica holds each connection.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + RelayIntegrationTests.OPERATOR_TOKEN,
            "mesh.security.join-token=" + RelayIntegrationTests.JOIN_TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h",
            "mesh.registry.full-refresh=1h",
            "mesh.outbound.grace=300ms",
            "mesh.replicas.id=relay-a"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class RelayIntegrationTests {

    static final String OPERATOR_TOKEN = "cmo_test-operator-token-for-relay";

    static final String JOIN_TOKEN = "cmj_test-join-token-for-relay";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    @Autowired
    NodeRegistry registry;

    @Autowired
    RelaySecret secret;

    @Autowired
    RelayClient relay;

    @Autowired
    LinkLocations locations;

    @Autowired
    JdbcClient jdbc;

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
    void theRelayWithoutTheReplicasSecretShouldAnswer401WhateverOtherTokenItCarries() throws Exception {
        RegisterNodeResponse node = register("attacker-node", ConnectMode.OUTBOUND);
        List<@Nullable String> credentials = new ArrayList<>();
        credentials.add(null);
        credentials.add("Bearer " + OPERATOR_TOKEN);
        credentials.add("Bearer " + JOIN_TOKEN);
        credentials.add("Bearer " + node.token());
        credentials.add("MeshRelay " + node.token());
        credentials.add("MeshRelay " + "0".repeat(64));
        credentials.add("MeshRelay ");
        credentials.add("Bearer " + this.secret.value());
        credentials.add(this.secret.value());
        for (String credential : credentials) {
            HttpResponse<String> response = post(node.nodeId(), credential, validRequest());
            assertThat(response.statusCode())
                    .as(credential + ": " + response.body())
                    .isEqualTo(401);
            assertThat(response.body()).contains("urn:clawmesh:problem:unauthorized", "replicas only");
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValue("MeshRelay realm=\"claw-mesh replicas\"");
        }
    }

    @Test
    void theTaskStreamRelayWithoutTheReplicasSecretShouldAnswer401() throws Exception {
        RegisterNodeResponse node = register("task-attacker-node", ConnectMode.OUTBOUND);
        for (String credential : List.of("Bearer " + OPERATOR_TOKEN, "Bearer " + node.token(), "MeshRelay wrong")) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + this.port + "/internal/v1/relay/tasks/task-0/events"))
                            .header("Authorization", credential)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as(credential + ": " + response.body())
                    .isEqualTo(401);
        }
        HttpResponse<String> unknown = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port
                                + "/internal/v1/relay/tasks/task-00000000000000000000/events"))
                        .header("Authorization", this.secret.authorization())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    }

    @Test
    void theReplicasSecretShouldOpenNothingButTheRelay() throws Exception {
        for (String path : List.of("/api/v1/nodes", "/api/v1/tasks", "/v1/models", "/api/v1/rules")) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                            .header("Authorization", this.secret.authorization())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(401, 403);
        }
    }

    @Test
    void aRelayRequestForAnythingButTheAgentsMessageAndTaskCallsShouldAnswer400() throws Exception {
        RegisterNodeResponse node = register("strict-node", ConnectMode.OUTBOUND);
        Map<String, Object> disallowedPath = validRequest();
        disallowedPath.put("path", "/api/v1/nodes/register");
        Map<String, Object> traversal = validRequest();
        traversal.put("method", "GET");
        traversal.put("path", "/api/v1/tasks/../../admin");
        Map<String, Object> wrongMethod = validRequest();
        wrongMethod.put("method", "PUT");
        Map<String, Object> credentialHeader = validRequest();
        credentialHeader.put("headers", Map.of("Authorization", "Bearer stolen"));
        Map<String, Object> controlCharacters = validRequest();
        controlCharacters.put("headers", Map.of("Accept", "a\r\nInjected: yes"));
        Map<String, Object> notBase64 = validRequest();
        notBase64.put("body", "!!not base64!!");
        Map<String, Object> noTimeout = validRequest();
        noTimeout.remove("timeout");
        Map<String, Object> unknownField = validRequest();
        unknownField.put("node_token", "x");
        Map<String, Object> deleteAllMessages = validRequest();
        deleteAllMessages.put("method", "DELETE");
        Map<String, Object> messageTraversal = validRequest();
        messageTraversal.put("method", "DELETE");
        messageTraversal.put("path", "/api/v1/messages/../nodes");
        Map<String, Object> getMessage = validRequest();
        getMessage.put("method", "GET");
        getMessage.put("path", "/api/v1/messages/msg-1");
        for (Map<String, Object> request : List.of(
                deleteAllMessages,
                messageTraversal,
                getMessage,
                disallowedPath,
                traversal,
                wrongMethod,
                credentialHeader,
                controlCharacters,
                notBase64,
                noTimeout,
                unknownField)) {
            HttpResponse<String> response = post(node.nodeId(), this.secret.authorization(), request);
            assertThat(response.statusCode())
                    .as(request + ": " + response.body())
                    .isEqualTo(400);
        }
        HttpResponse<String> notJson = HTTP.send(
                HttpRequest.newBuilder(relayUri(node.nodeId()))
                        .header("Authorization", this.secret.authorization())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).as(notJson.body()).isEqualTo(400);
    }

    @Test
    void theCancelOfARunningMessageShouldBeRelayedLikeTheMessageItself() {
        assertThat(new RelayRequest("DELETE", "/api/v1/messages/msg-0123456789abcdef0123", Map.of(), null, 1000)
                        .problem("node-1"))
                .isNull();
        assertThat(new RelayRequest("DELETE", "/api/v1/messages/msg-1/x", Map.of(), null, 1000).problem("node-1"))
                .isNotNull();
    }

    @Test
    void aRelayForAnUnknownInboundOrUnconnectedNodeShouldSaySo() throws Exception {
        HttpResponse<String> unknown = post("no-such-node", this.secret.authorization(), validRequest());
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        RegisterNodeResponse inbound = this.registry.register(
                new RegisterNodeRequest(
                        "inbound-node",
                        "93.184.216.34:9121",
                        NodeFixtures.macMini(),
                        4,
                        new RuntimeInfo("echo", null, true),
                        null,
                        ConnectMode.INBOUND),
                Registrant.operator());
        HttpResponse<String> notOutbound = post(inbound.nodeId(), this.secret.authorization(), validRequest());
        assertThat(notOutbound.statusCode()).as(notOutbound.body()).isEqualTo(409);
        RegisterNodeResponse unconnected = register("unconnected-node", ConnectMode.OUTBOUND);
        HttpResponse<String> notHere = post(unconnected.nodeId(), this.secret.authorization(), validRequest());
        assertThat(notHere.statusCode()).as(notHere.body()).isEqualTo(503);
        assertThat(notHere.body()).contains("no open connection to this replica");
    }

    @Test
    void aRelayedRequestShouldGoDownTheAgentsConnectionWithItsCredentialAndStreamTheAnswerBack() throws Exception {
        RegisterNodeResponse node = register("relayed-node", ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(node.nodeId()), node.token())) {
            awaitOnline(node);
            CompletableFuture<HttpResponse<byte[]>> answer = HTTP.sendAsync(
                    HttpRequest.newBuilder(relayUri(node.nodeId()))
                            .header("Authorization", this.secret.authorization())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(validRequest())))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            LinkFrame request = agent.next();
            assertThat(request.type()).isEqualTo(LinkFrame.REQUEST);
            assertThat(request.path()).isEqualTo("/api/v1/messages");
            assertThat(request.headers())
                    .as("the holder adds the node's delivery credential")
                    .containsKey("Authorization")
                    .containsEntry("X-Mesh-Message-Id", "m-1");
            assertThat(agent.bodyOf(request.id())).isEqualTo("{\"content\":\"hi\"}");
            agent.send(LinkFrame.of(LinkFrame.ACK, request.id()));
            agent.send(LinkFrame.response(request.id(), 200, Map.of("Content-Type", "application/json")));
            agent.send(LinkFrame.body(request.id(), "{\"response\":"));
            agent.send(LinkFrame.body(request.id(), "\"hello\"}"));
            agent.send(LinkFrame.of(LinkFrame.END, request.id()));
            HttpResponse<byte[]> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(response.body()));
            List<Character> types = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (RelayRecords.Entry entry = RelayRecords.read(in); entry != null; entry = RelayRecords.read(in)) {
                types.add((char) entry.type());
                if (entry.type() == RelayRecords.HEAD) {
                    assertThat(new String(entry.payload(), StandardCharsets.UTF_8))
                            .contains("\"status\":200");
                }
                if (entry.type() == RelayRecords.BODY) {
                    body.append(new String(entry.payload(), StandardCharsets.UTF_8));
                }
            }
            assertThat(types)
                    .as("acknowledged once, then the head, the body and the end")
                    .containsExactly('A', 'H', 'B', 'B', 'E');
            assertThat(body).hasToString("{\"response\":\"hello\"}");
        }
    }

    @Test
    void theRelayClientShouldGiveTheAnswerAsALocalExchangeDoes() throws Exception {
        RegisterNodeResponse registered = register("client-node", ConnectMode.OUTBOUND);
        try (FakeAgent agent = FakeAgent.connect(uri(registered.nodeId()), registered.token())) {
            awaitOnline(registered);
            Node node = this.registry.find(registered.nodeId()).orElseThrow();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try (NodeExchange exchange = this.relay.open(
                        node,
                        self(),
                        "GET",
                        "/api/v1/tasks/task-1/events",
                        Map.of("Accept", "text/event-stream", "Authorization", "Bearer not-relayed"),
                        new byte[0],
                        Duration.ofSeconds(5))) {
                    LinkResponse response = exchange.response();
                    return response.status() + " " + response.contentType() + " "
                            + new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            LinkFrame request = agent.next();
            assertThat(request.headers().get("Authorization")).isNotEqualTo("Bearer not-relayed");
            agent.bodyOf(request.id());
            agent.send(LinkFrame.response(request.id(), 200, Map.of("Content-Type", "text/event-stream")));
            agent.send(LinkFrame.body(request.id(), "event: delta\ndata: {}\n\n"));
            agent.send(LinkFrame.of(LinkFrame.END, request.id()));
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("200 text/event-stream event: delta\ndata: {}\n\n");
        }
    }

    @Test
    void aConnectionThatDropsBeforeTheAckShouldFailTheRelayAsNotAcceptedAndAfterItAsAccepted() throws Exception {
        RegisterNodeResponse registered = register("dropping-node", ConnectMode.OUTBOUND);
        FakeAgent before = FakeAgent.connect(uri(registered.nodeId()), registered.token());
        awaitOnline(registered);
        Node node = this.registry.find(registered.nodeId()).orElseThrow();
        CompletableFuture<NodeExchange> first = CompletableFuture.supplyAsync(() -> openMessage(node));
        LinkFrame request = before.next();
        before.bodyOf(request.id());
        before.close();
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS).response())
                .isInstanceOfSatisfying(
                        LinkLostException.class,
                        (ex) -> assertThat(ex.accepted()).isFalse());

        FakeAgent after = FakeAgent.connect(uri(registered.nodeId()), registered.token());
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> this.locations.holder(node.id()).isPresent());
        CompletableFuture<NodeExchange> second = CompletableFuture.supplyAsync(() -> openMessage(node));
        request = after.next();
        after.bodyOf(request.id());
        after.send(LinkFrame.of(LinkFrame.ACK, request.id()));
        NodeExchange exchange = second.get(10, TimeUnit.SECONDS);
        CompletableFuture<LinkResponse> head = CompletableFuture.supplyAsync(() -> {
            try {
                return exchange.response();
            } catch (IOException ex) {
                throw new CompletionException(ex);
            }
        });
        Awaitility.await("the holder tells of the agent's acknowledgement before any answer")
                .atMost(Duration.ofSeconds(5))
                .until(exchange::accepted);
        after.close();
        assertThatThrownBy(() -> head.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(LinkLostException.class)
                .satisfies((ex) -> assertThat(((LinkLostException) ex.getCause()).accepted())
                        .isTrue());
    }

    @Test
    void aReplicaThatCannotBeReachedShouldFailTheRelayAsNotAccepted() throws Exception {
        RegisterNodeResponse registered = register("far-node", ConnectMode.OUTBOUND);
        Node node = this.registry.find(registered.nodeId()).orElseThrow();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LinkLocations.Location nowhere = new LinkLocations.Location("relay-gone", "http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> this.relay.open(
                        node, nowhere, "POST", "/api/v1/messages", Map.of(), new byte[0], Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(LinkLostException.class, (ex) -> {
                    assertThat(ex.accepted()).isFalse();
                    assertThat(ex.getMessage()).contains("relay-gone", "cannot be reached");
                });
    }

    @Test
    void theDatabaseShouldNameTheReplicaHoldingAConnectionUntilItCloses() throws Exception {
        RegisterNodeResponse registered = register("located-node", ConnectMode.OUTBOUND);
        assertThat(this.locations.holder(registered.nodeId())).isEmpty();
        FakeAgent agent = FakeAgent.connect(uri(registered.nodeId()), registered.token());
        awaitOnline(registered);
        assertThat(this.locations.holder(registered.nodeId())).hasValue("relay-a");
        assertThat(this.locations.find(registered.nodeId()))
                .hasValueSatisfying(
                        (location) -> assertThat(location.url()).isEqualTo("http://127.0.0.1:" + this.port));
        agent.close();
        Awaitility.await("cleared when the connection closes")
                .atMost(Duration.ofSeconds(5))
                .until(() -> this.locations.holder(registered.nodeId()).isEmpty());
    }

    @Test
    void theConnectionsOfAReplicaThatIsNotAliveShouldBeCleared() {
        RegisterNodeResponse registered = register("orphan-node", ConnectMode.OUTBOUND);
        this.jdbc
                .sql("UPDATE nodes SET link_replica = 'relay-dead' WHERE id = ?")
                .param(registered.nodeId())
                .update();
        assertThat(this.locations.find(registered.nodeId()))
                .as("a dead replica is no way to the node")
                .isEmpty();
        assertThat(this.locations.clearDead()).isGreaterThanOrEqualTo(1);
        assertThat(this.locations.holder(registered.nodeId())).isEmpty();
    }

    @Test
    void anHttpHeartbeatOfANodeConnectedToAnotherLiveReplicaShouldKeepItOnline() {
        RegisterNodeResponse elsewhere = register("elsewhere-node", ConnectMode.OUTBOUND);
        RegisterNodeResponse nowhere = register("nowhere-node", ConnectMode.OUTBOUND);
        this.jdbc
                .sql("INSERT INTO coordinator_replicas (id, address, started_at, last_seen)"
                        + " VALUES ('relay-b', 'test', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                .update();
        this.jdbc
                .sql("INSERT INTO replica_relays (replica, url, updated_at)"
                        + " VALUES ('relay-b', 'http://127.0.0.1:1', CURRENT_TIMESTAMP)")
                .update();
        try {
            for (RegisterNodeResponse node : List.of(elsewhere, nowhere)) {
                this.registry.confirmAlive(node.nodeId(), null, java.time.Instant.now(), "test: online");
            }
            this.jdbc
                    .sql("UPDATE nodes SET link_replica = 'relay-b' WHERE id = ?")
                    .param(elsewhere.nodeId())
                    .update();
            HeartbeatRequest heartbeat = new HeartbeatRequest(NodeStatus.ONLINE, 0, 4, null, null);
            this.registry.heartbeat(elsewhere.nodeId(), heartbeat);
            this.registry.heartbeat(nowhere.nodeId(), heartbeat);
            assertThat(this.registry.find(elsewhere.nodeId()).map(Node::status))
                    .as("reachable through relay-b")
                    .hasValue(NodeStatus.ONLINE);
            assertThat(this.registry.find(nowhere.nodeId()).map(Node::status))
                    .as("no connection anywhere")
                    .hasValue(NodeStatus.OFFLINE);
        } finally {
            this.jdbc
                    .sql("DELETE FROM replica_relays WHERE replica = 'relay-b'")
                    .update();
            this.jdbc
                    .sql("DELETE FROM coordinator_replicas WHERE id = 'relay-b'")
                    .update();
        }
    }

    private NodeExchange openMessage(Node node) {
        try {
            return this.relay.open(
                    node,
                    self(),
                    "POST",
                    "/api/v1/messages",
                    Map.of("Content-Type", "application/json"),
                    "{}".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(5));
        } catch (LinkLostException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private LinkLocations.Location self() {
        return new LinkLocations.Location("relay-a", "http://127.0.0.1:" + this.port);
    }

    private Map<String, Object> validRequest() {
        Map<String, Object> request = new HashMap<>();
        request.put("method", "POST");
        request.put("path", "/api/v1/messages");
        request.put("headers", Map.of("Content-Type", "application/json", "X-Mesh-Message-Id", "m-1"));
        request.put(
                "body", Base64.getEncoder().encodeToString("{\"content\":\"hi\"}".getBytes(StandardCharsets.UTF_8)));
        request.put("timeout", 5000);
        return request;
    }

    private HttpResponse<String> post(String nodeId, @Nullable String authorization, Map<String, Object> request)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(relayUri(nodeId))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI relayUri(String nodeId) {
        return URI.create("http://127.0.0.1:" + this.port + "/internal/v1/relay/nodes/" + nodeId);
    }

    private RegisterNodeResponse register(String name, ConnectMode connect) {
        return this.registry.register(
                new RegisterNodeRequest(
                        name, null, NodeFixtures.macMini(), 4, new RuntimeInfo("echo", null, true), null, connect),
                Registrant.operator());
    }

    private void awaitOnline(RegisterNodeResponse node) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> this.registry.find(node.nodeId()).map(Node::status).orElseThrow() == NodeStatus.ONLINE);
    }

    private URI uri(String nodeId) {
        return URI.create("ws://127.0.0.1:" + this.port + "/api/v1/nodes/" + nodeId + "/connect");
    }

    /** The test's agent: a real WebSocket client that records the frames that come down. */
    static final class FakeAgent implements WebSocket.Listener, AutoCloseable {

        private final BlockingQueue<LinkFrame> frames = new LinkedBlockingQueue<>();

        private final StringBuilder partial = new StringBuilder();

        private WebSocket socket;

        static FakeAgent connect(URI uri, String token) {
            FakeAgent agent = new FakeAgent();
            agent.socket = HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(uri, agent)
                    .join();
            return agent;
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

        synchronized void send(LinkFrame frame) {
            try {
                this.socket.sendText(JSON.writeValueAsString(frame), true).join();
            } catch (CompletionException ex) {
                // closed by the coordinator
            }
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            this.partial.append(data);
            if (last) {
                this.frames.add(JSON.readValue(this.partial.toString(), LinkFrame.class));
                this.partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            this.socket.abort();
        }
    }
}
