package io.clawmesh.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The Helm chart's TLS setup (helm/claw-mesh, tls.enabled): the mesh CA serves HTTPS on the server port while the
 * separate actuator port, which the kubelet probes over plain HTTP, stays plain with
 * {@code management.server.ssl.enabled=false}.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "management.server.port=0",
            "management.server.ssl.enabled=false",
            "mesh.security.token=tls-operator-token",
            "mesh.data-dir=" + TlsManagementPortIntegrationTests.DATA_DIR,
            "mesh.tls.enabled=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext
class TlsManagementPortIntegrationTests {

    static final String DATA_DIR = "./target/tls-management-port-tests/data";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void theActuatorPortShouldAnswerPlainHttpWhileTheServerPortSpeaksOnlyTls() throws Exception {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CaFingerprint fingerprint = CaFingerprint.of(MeshTrust.readCertificates(
                        TlsFiles.in(Path.of(DATA_DIR).toAbsolutePath()).caCertificate())
                .get(0));
        HttpClient pinned = HttpClient.newBuilder()
                .sslContext(MeshTrust.clientContext(fingerprint.toString(), null))
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> liveness = plain.send(
                get("http://127.0.0.1:" + this.managementPort + "/actuator/health/liveness"),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> api = pinned.send(
                get("https://127.0.0.1:" + this.port + "/api/v1/nodes"), HttpResponse.BodyHandlers.ofString());

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> pinned.send(
                        get("https://127.0.0.1:" + this.managementPort + "/actuator/health/liveness"),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer tls-operator-token")
                .timeout(Duration.ofSeconds(10))
                .build();
    }
}
