package io.clawmesh.agent.tls;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * How the agent reads a 404 from the certificate endpoint, over real HTTP: a coordinator without the endpoint (own
 * certificate files, no CA key) is told apart from a node the coordinator no longer knows.
 */
class NodeTlsConfigurationTests {

    private HttpServer coordinator;

    private volatile String notFoundBody = "";

    @BeforeEach
    void start() throws IOException {
        this.coordinator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.coordinator.createContext("/", (exchange) -> {
            byte[] body = this.notFoundBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        this.coordinator.start();
    }

    @AfterEach
    void stop() {
        this.coordinator.stop(0);
    }

    @Test
    void aCoordinatorWithoutTheCertificateEndpointShouldBeReportedAsSigningNoCertificates() {
        this.notFoundBody = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}";

        assertThatThrownBy(() -> NodeTlsConfiguration.signed(client(), "node-1", "csr"))
                .isInstanceOf(NoNodeCertificatesException.class)
                .hasMessageContaining("own certificate files");
    }

    @Test
    void aNodeTheCoordinatorNoLongerKnowsShouldStayANotFound() {
        this.notFoundBody = "{\"type\":\"urn:clawmesh:problem:node-not-found\",\"status\":404}";

        assertThatThrownBy(() -> NodeTlsConfiguration.signed(client(), "node-1", "csr"))
                .isInstanceOf(HttpClientErrorException.NotFound.class);
    }

    private RestClient client() {
        return RestClient.builder()
                .baseUrl("http://127.0.0.1:" + this.coordinator.getAddress().getPort())
                .build();
    }
}
