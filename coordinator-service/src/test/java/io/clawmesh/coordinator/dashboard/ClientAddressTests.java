package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.clawmesh.coordinator.PeerAddressValve;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which address a login counts against, with and without trusted proxies. */
class ClientAddressTests {

    @Test
    void resolveWithoutTrustedProxiesShouldIgnoreForwardedFor() {
        assertThat(new ClientAddress(List.of()).resolve(request("10.0.0.5", "203.0.113.1")))
                .isEqualTo("10.0.0.5");
    }

    @Test
    void resolveFromATrustedProxyShouldTakeTheRightmostUntrustedHop() {
        ClientAddress address = new ClientAddress(List.of("10.0.0.0/24", "192.168.1.1"));

        assertThat(address.resolve(request("10.0.0.5", "198.51.100.1, 203.0.113.1, 192.168.1.1")))
                .as("the client cannot choose what the hops left of the first untrusted one say")
                .isEqualTo("203.0.113.1");
        assertThat(address.resolve(request("10.0.0.5", "not-an-ip"))).isEqualTo("10.0.0.5");
        assertThat(address.resolve(request("10.0.0.9", null))).isEqualTo("10.0.0.9");
    }

    @Test
    void resolveShouldPreferThePeerAddressKeptBeforeTheContainerRewroteIt() {
        MockHttpServletRequest request = request("203.0.113.66", null);
        request.setAttribute(PeerAddressValve.ATTRIBUTE, "127.0.0.1");

        assertThat(new ClientAddress(List.of()).resolve(request)).isEqualTo("127.0.0.1");
    }

    @Test
    void trustedProxyThatIsNoAddressShouldStopTheStartNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ClientAddress(List.of("proxy.example")))
                .withMessageContaining("'proxy.example' is not an IP address or CIDR range");
    }

    private static MockHttpServletRequest request(String peer, @Nullable String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/dashboard/login");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader(ClientAddress.FORWARDED_FOR, forwardedFor);
        }
        return request;
    }
}
