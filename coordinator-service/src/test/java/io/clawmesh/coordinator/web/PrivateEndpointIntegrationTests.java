package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.JOIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Registration without {@code --allow-private} (the default): endpoints on loopback, private, link-local and other
 * internal addresses are refused with a reason (SSRF, SPEC §5), and the refusal changes nothing.
 */
@TestPropertySource(properties = "mesh.security.allow-private=false")
class PrivateEndpointIntegrationTests extends ApiIntegrationTestSupport {

    private RegisteredNode existing;

    @BeforeEach
    void onePublicNode() {
        this.existing = register("public-node", "93.184.216.34:9121");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.5:9121         | a private address (RFC 1918)",
                "172.16.4.2:9121       | a private address (RFC 1918)",
                "192.168.1.20:9121     | a private address (RFC 1918)",
                "127.0.0.1:9121        | a loopback address",
                "[::1]:9121            | a loopback address",
                "169.254.169.254:80    | the cloud metadata address",
                "169.254.10.1:9121     | link-local",
                "100.64.0.1:9121       | CGNAT",
                "[fd00::1]:9121        | fc00::/7",
                "[fe80::1]:9121        | fe80::/10",
                "[::ffff:10.0.0.5]:9121 | RFC 1918",
                "0.0.0.0:9121          | unspecified",
                "224.0.0.1:9121        | multicast"
            })
    void registerWhenEndpointIsInternalShouldAnswer400WithTheReasonAndChangeNothing(String endpoint, String reason) {
        MeshState before = state();

        MvcTestResult result = post(JOIN_TOKEN, REGISTER, ApiFixtures.registration("intruder", endpoint));

        assertThat(assertProblem(result, 400, "invalid-input")).contains(reason);
        assertThat(state()).isEqualTo(before);
        assertThat(post(
                        this.existing.token(),
                        NODES + "/" + this.existing.id() + "/heartbeat",
                        ApiFixtures.heartbeat("online")))
                .hasStatus(204);
    }

    @Test
    void registerWhenEndpointIsPrivateShouldSayHowToAllowIt() {
        MvcTestResult result = post(JOIN_TOKEN, REGISTER, ApiFixtures.registration("lan", "10.0.0.5:9121"));

        assertThat(assertProblem(result, 400, "invalid-input"))
                .isEqualTo(
                        "endpoint 10.0.0.5:9121 is a private address (RFC 1918); start the coordinator with --allow-private "
                                + "for LAN setups");
    }

    @Test
    void registerWhenEndpointIsPublicShouldAnswer201() {
        assertThat(post(JOIN_TOKEN, REGISTER, ApiFixtures.registration("cloud", "8.8.8.8:9121")))
                .hasStatus(201);
        assertThat(this.registry.all()).hasSize(2);
    }
}
