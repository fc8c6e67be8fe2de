package io.clawmesh.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/** The agent's calls move to the next coordinator replica when one cannot be reached, over real loopback HTTP. */
class CoordinatorFailoverTests {

    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void stopServers() {
        this.servers.values().forEach((server) -> server.stop(0));
    }

    @Test
    void callWhenFirstCoordinatorRefusesShouldReachTheNextAndStayThere() throws IOException {
        String dead = "http://127.0.0.1:" + closedPort();
        String alive = serve("b", 200);
        CoordinatorFailover failover = new CoordinatorFailover(List.of(dead, alive));
        RestClient client = client(dead, failover);

        assertThat(client.get().uri("/api/v1/ping").retrieve().body(String.class))
                .isEqualTo("b");
        assertThat(client.get().uri("/api/v1/ping").retrieve().body(String.class))
                .isEqualTo("b");

        assertThat(failover.current()).isEqualTo(URI.create(alive));
        assertThat(this.calls.get("b")).hasValue(2);
    }

    @Test
    void callWhenCoordinatorAnswersAnErrorShouldNotMoveOn() throws IOException {
        String failing = serve("a", 503);
        String other = serve("b", 200);
        CoordinatorFailover failover = new CoordinatorFailover(List.of(failing, other));
        RestClient client = client(failing, failover);

        int status = client.get()
                .uri("/api/v1/ping")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(status).isEqualTo(503);
        assertThat(failover.current()).isEqualTo(URI.create(failing));
        assertThat(this.calls.get("b")).hasValue(0);
    }

    @Test
    void callWhenNoCoordinatorAnswersShouldFailWithTheLastError() throws IOException {
        String first = "http://127.0.0.1:" + closedPort();
        String second = "http://127.0.0.1:" + closedPort();
        RestClient client = client(first, new CoordinatorFailover(List.of(first, second)));

        assertThatExceptionOfType(ResourceAccessException.class)
                .isThrownBy(() -> client.get().uri("/api/v1/ping").retrieve().body(String.class));
    }

    private RestClient client(String baseUrl, CoordinatorFailover failover) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(2000);
        factory.setReadTimeout(2000);
        return RestClient.builder()
                .baseUrl(baseUrl)
                .requestFactory(factory)
                .requestInterceptor(failover)
                .build();
    }

    private String serve(String name, int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger count = new AtomicInteger();
        this.calls.put(name, count);
        server.createContext("/", (exchange) -> {
            count.incrementAndGet();
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        this.servers.put(name, server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
