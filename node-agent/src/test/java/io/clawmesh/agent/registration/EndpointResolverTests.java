package io.clawmesh.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointResolverTests {

    @Test
    void endpointWhenConfiguredShouldBeValidatedAndUsed() {
        assertThat(EndpointResolver.resolve("203.0.113.7:9121", null, 9121)).isEqualTo("203.0.113.7:9121");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> EndpointResolver.resolve("http://203.0.113.7:9121", null, 9121));
    }

    @Test
    void endpointWhenBoundToOneAddressShouldAdvertiseIt() {
        assertThat(EndpointResolver.resolve(null, "127.0.0.1", 40123)).isEqualTo("127.0.0.1:40123");
    }

    @Test
    void firstSiteLocalIpv4ShouldSkipPublicAndIpv6AddressesAndFallBackToLoopback() throws UnknownHostException {
        List<InetAddress> candidates = List.of(
                InetAddress.getByName("fe80::1"),
                InetAddress.getByName("203.0.113.7"),
                InetAddress.getByName("192.168.1.20"),
                InetAddress.getByName("10.0.0.5"));

        assertThat(EndpointResolver.firstSiteLocalIpv4(candidates)).isEqualTo("192.168.1.20");
        assertThat(EndpointResolver.firstSiteLocalIpv4(List.of())).isEqualTo("127.0.0.1");
    }
}
