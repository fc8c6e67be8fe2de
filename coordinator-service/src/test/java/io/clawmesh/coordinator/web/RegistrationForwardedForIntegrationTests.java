package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-address registration limit over real HTTP with {@code server.forward-headers-strategy=native}, Boot's
 * default on Kubernetes (the Helm chart): Tomcat then takes the remote address from {@code X-Forwarded-For} whenever
 * the peer has a private address, so a join-token holder inside the cluster chose a fresh address, and a fresh
 * budget, per request. The limit must count the TCP peer.
 */
@TestPropertySource(
        properties = {
            "server.forward-headers-strategy=native",
            "mesh.security.allow-private=true",
            "mesh.registry.join-limits.per-address-burst=2",
            "mesh.registry.join-limits.per-address-per-minute=1"
        })
@DirtiesContext
class RegistrationForwardedForIntegrationTests extends ApiIntegrationTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void joinRegistrationWithAForwardedForHeaderShouldStillCountAgainstItsPeerAddress() throws Exception {
        assertThat(registerForwarded("flood-1", "203.0.113.1").statusCode()).isEqualTo(201);
        assertThat(registerForwarded("flood-2", "203.0.113.2").statusCode()).isEqualTo(201);
        MeshState before = state();

        HttpResponse<String> third = registerForwarded("flood-3", "203.0.113.3");

        assertThat(assertProblem(third, 429, "too-many-registrations")).contains("from 127.0.0.1");
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(state()).isEqualTo(before);
    }

    private HttpResponse<String> registerForwarded(String name, String forwardedFor) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + REGISTER))
                        .header("Authorization", "Bearer " + ApiFixtures.JOIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .header("X-Forwarded-For", forwardedFor)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + name + "\",\"endpoint\":\"127.0.0.1:19" + name.substring(6) + "0\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
