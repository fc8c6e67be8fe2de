package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clawmesh.agent.inbound.AgentHttpServer;
import io.clawmesh.common.node.NodeCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole agent against a tiny fake coordinator on loopback: it registers with the join token, heartbeats with the
 * node token, echoes a message delivered with the right credential, and deregisters when its context closes.
 */
@SpringBootTest(
        properties = {
            "server.address=127.0.0.1",
            "server.port=0",
            "mesh.agent.name=it-node",
            // the join token the Go way: CLAW_MESH_TOKEN feeds mesh.agent.token
            "CLAW_MESH_TOKEN=join-secret",
            "mesh.agent.heartbeat-interval=200ms",
            "mesh.agent.tags=lab,local"
        })
@TestMethodOrder(OrderAnnotation.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class NodeAgentIntegrationTests {

    static final String NODE_ID = "node-0123456789abcdef";

    static final String NODE_TOKEN = "node-token-from-fake-coordinator";

    private static final FakeCoordinatorServer coordinator = FakeCoordinatorServer.start();

    private static final Path dataDir = createTempDir();

    @Autowired
    private AgentHttpServer server;

    private int port;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @DynamicPropertySource
    static void coordinatorProperties(DynamicPropertyRegistry registry) {
        registry.add("mesh.agent.coordinator-url", coordinator::url);
        registry.add("mesh.agent.data-dir", dataDir::toString);
    }

    @BeforeEach
    void boundPort() {
        this.port = this.server.port();
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.server.stop(0);
    }

    @Test
    @Order(1)
    void startShouldRegisterWithTheJoinTokenAndHeartbeatWithTheNodeToken(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.heartbeats.size() >= 2);

        assertThat(coordinator.registrations).singleElement().satisfies((call) -> {
            assertThat(call.authorization()).isEqualTo("Bearer join-secret");
            assertThat(call.body())
                    .contains("\"name\":\"it-node\"")
                    .contains("\"endpoint\":\"127.0.0.1:" + this.port + "\"")
                    .contains("\"tags\":[\"lab\",\"local\"]")
                    .contains("\"kind\":\"echo\"");
        });
        assertThat(coordinator.heartbeats).allSatisfy((call) -> {
            assertThat(call.path()).isEqualTo("/api/v1/nodes/" + NODE_ID + "/heartbeat");
            assertThat(call.authorization()).isEqualTo("Bearer " + NODE_TOKEN);
            assertThat(call.body()).contains("\"status\":\"online\"");
        });
        assertThat(dataDir.resolve("node.json")).content().contains(NODE_ID);
        assertThat(output.getOut())
                .contains("No AI runtime configured or found")
                .contains("running in echo mode. Use --auto-install, --runtime or --gateway-endpoint to connect one.");
    }

    @Test
    @Order(2)
    void messageWithTheDeliveryCredentialShouldBeEchoed() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> !coordinator.registrations.isEmpty());
        String credential = NodeCredentials.deliveryCredential(NodeCredentials.hash(NODE_TOKEN), NODE_ID);

        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/messages"))
                        .header("Authorization", "Bearer " + credential)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"msg-42\",\"content\":\"ping\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"message_id\":\"msg-42\"")
                .contains("\"node_id\":\"" + NODE_ID + "\"")
                .contains("\"response\":\"[claw-mesh echo] ping\"");
    }

    @Test
    @Order(3)
    void closeShouldDeregisterWithTheNodeTokenAndKeepNodeJson() {
        // A context of its own: closing the cached test context would break Spring's test context cache.
        Path ownDataDir = createTempDir();
        ConfigurableApplicationContext agent = new SpringApplicationBuilder(NodeAgentApplication.class)
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "mesh.agent.name=it-node-2",
                        "mesh.agent.token=join-secret",
                        "mesh.agent.heartbeat-interval=200ms",
                        "mesh.agent.coordinator-url=" + coordinator.url(),
                        "mesh.agent.data-dir=" + ownDataDir)
                .run();
        int heartbeatsBefore = coordinator.heartbeats.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.heartbeats.size() > heartbeatsBefore);

        agent.close();

        assertThat(coordinator.deletions).singleElement().satisfies((call) -> {
            assertThat(call.path()).isEqualTo("/api/v1/nodes/" + NODE_ID);
            assertThat(call.authorization()).isEqualTo("Bearer " + NODE_TOKEN);
        });
        assertThat(ownDataDir.resolve("node.json")).content().contains(NODE_ID);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("claw-mesh-agent-it");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    record Call(String path, String authorization, String body) {}

    /** Answers register (201), heartbeat (204) and delete (204) like the real coordinator, on 127.0.0.1. */
    static final class FakeCoordinatorServer {

        final HttpServer server;

        final List<Call> registrations = new CopyOnWriteArrayList<>();

        final List<Call> heartbeats = new CopyOnWriteArrayList<>();

        final List<Call> deletions = new CopyOnWriteArrayList<>();

        private FakeCoordinatorServer(HttpServer server) {
            this.server = server;
        }

        static FakeCoordinatorServer start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                FakeCoordinatorServer fake = new FakeCoordinatorServer(server);
                server.createContext("/api/v1/nodes", fake::handle);
                server.start();
                return fake;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        String url() {
            return "http://127.0.0.1:" + this.server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Call call = new Call(path, authorization, body);
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/api/v1/nodes/register")) {
                this.registrations.add(call);
                byte[] answer = ("{\"node_id\":\"" + NODE_ID + "\",\"token\":\"" + NODE_TOKEN + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, answer.length);
                exchange.getResponseBody().write(answer);
            } else if (method.equals("POST") && path.endsWith("/heartbeat")) {
                this.heartbeats.add(call);
                exchange.sendResponseHeaders(204, -1);
            } else if (method.equals("DELETE")) {
                this.deletions.add(call);
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        }
    }
}
