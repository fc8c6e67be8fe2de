package io.clawmesh.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.registry.EndpointPolicy.HostResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointPolicyTests {

    private static final String PUBLIC = "public";

    // Answers only the names the tests know, so no test ever reaches real DNS.
    private static final HostResolver FAKE_DNS = fakeDns(Map.of(
            "evil.example", List.of("10.0.0.1"),
            "mixed.example", List.of("8.8.8.8", "192.168.1.1"),
            "public.example", List.of("93.184.216.34", "2606:4700:4700::1111"),
            "metadata.example", List.of("169.254.169.254"),
            "lan.example", List.of("192.168.1.20")));

    // Fails the test if a literal is ever sent to the resolver.
    private static final HostResolver NO_DNS = (host) -> {
        throw new AssertionError("resolver called for " + host);
    };

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0.0.0, unspecified",
        "0.1.2.3, unspecified",
        "127.0.0.1, loopback",
        "127.255.255.254, loopback",
        "10.0.0.1, RFC 1918",
        "10.255.255.255, RFC 1918",
        "172.16.0.1, RFC 1918",
        "172.31.255.255, RFC 1918",
        "192.168.1.1, RFC 1918",
        "169.254.0.1, link-local",
        "169.254.169.254, cloud metadata",
        "169.254.170.2, cloud metadata",
        "100.100.100.200, cloud metadata",
        "100.64.0.1, CGNAT",
        "100.127.255.255, CGNAT",
        "192.0.0.8, IETF",
        "192.0.2.1, documentation",
        "198.51.100.7, documentation",
        "203.0.113.9, documentation",
        "198.18.0.1, benchmarking",
        "198.19.255.255, benchmarking",
        "224.0.0.1, multicast",
        "239.255.255.250, multicast",
        "255.255.255.255, broadcast",
        "240.0.0.1, reserved",
        "::, unspecified",
        "::1, loopback",
        "fe80::1, link-local",
        "febf::1, link-local",
        "fec0::1, site-local",
        "fc00::1, unique local",
        "fd12:3456::1, unique local",
        "fd00:ec2::254, cloud metadata",
        "ff02::1, multicast",
        "ff05::2, multicast",
        "2001:db8::1, documentation",
        "100::1, reserved IPv6",
        "::ffff:127.0.0.1, loopback",
        "::ffff:10.0.0.1, RFC 1918",
        "::ffff:169.254.169.254, cloud metadata",
        "::127.0.0.1, loopback address inside an IPv4-compatible",
        "::10.0.0.1, RFC 1918) inside an IPv4-compatible",
        "::ffff:0:a00:1, RFC 1918) inside an IPv4-translated",
        "64:ff9b::7f00:1, loopback address inside a NAT64",
        "64:ff9b::a9fe:a9fe, cloud metadata address inside a NAT64",
        "64:ff9b:1::1, local-use NAT64",
        "2002:7f00:1::, loopback address inside a 6to4",
        "2002:c0a8:101::1, RFC 1918) inside a 6to4",
        "2002:a9fe:a9fe::, cloud metadata address inside a 6to4",
        "8.8.8.8, public",
        "1.1.1.1, public",
        "93.184.216.34, public",
        "172.15.255.255, public",
        "172.32.0.1, public",
        "100.63.255.255, public",
        "100.128.0.1, public",
        "169.255.0.1, public",
        "198.20.0.1, public",
        "223.255.255.255, public",
        "2606:4700:4700::1111, public",
        "2001:4860:4860::8888, public",
        "2a00:1450:4001::1, public",
        "::ffff:8.8.8.8, public",
        "64:ff9b::808:808, public",
        "2002:808:808::1, public",
    })
    void forbiddenReasonShouldNameTheRangeOrAcceptPublicAddresses(String literal, String expected)
            throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);
        if (PUBLIC.equals(expected)) {
            assertThat(EndpointPolicy.forbiddenReason(address)).isEmpty();
        } else {
            assertThat(EndpointPolicy.forbiddenReason(address))
                    .hasValueSatisfying((reason) -> assertThat(reason).contains(expected));
        }
    }

    @Test
    void forbiddenReasonWhenInet6AddressHoldsMappedBytesShouldJudgeTheEmbeddedIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(EndpointPolicy.forbiddenReason(address))
                .hasValue("a private address (RFC 1918) inside an IPv4-mapped IPv6 address");
    }

    @Test
    void checkWhenLiteralIsPrivateShouldExplainAllowPrivate() {
        EndpointPolicy policy = new EndpointPolicy(false, NO_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("10.0.0.5:9121")))
                .withMessage("endpoint 10.0.0.5:9121 is a private address (RFC 1918); "
                        + "start the coordinator with --allow-private for LAN setups");
    }

    @Test
    void checkWhenIpv6LiteralIsLoopbackShouldRefuse() {
        EndpointPolicy policy = new EndpointPolicy(false, NO_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("[::ffff:127.0.0.1]:9121")))
                .withMessageStartingWith("endpoint [::ffff:127.0.0.1]:9121 is a loopback address")
                .withMessageContaining("--allow-private");
    }

    @Test
    void checkWhenLiteralIsPublicShouldPassWithoutAskingTheResolver() {
        EndpointPolicy policy = new EndpointPolicy(false, NO_DNS);
        assertThatNoException().isThrownBy(() -> policy.check(Endpoint.parse("8.8.8.8:9121")));
        assertThatNoException().isThrownBy(() -> policy.check(Endpoint.parse("[2606:4700:4700::1111]:443")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1:9121", "0177.0.0.1:9121", "2130706433:9121", "1.2.3.4.5:9121"})
    void checkWhenIpv4LiteralIsAmbiguousShouldRefuseWithoutResolving(String value) {
        EndpointPolicy policy = new EndpointPolicy(true, NO_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse(value)))
                .withMessageContaining("is not a valid IPv4 address");
    }

    @Test
    void checkWhenHostResolvesToPrivateAddressShouldNameTheAddress() {
        EndpointPolicy policy = new EndpointPolicy(false, FAKE_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("evil.example:9121")))
                .withMessage("endpoint evil.example:9121 resolves to 10.0.0.1, a private address (RFC 1918); "
                        + "start the coordinator with --allow-private for LAN setups");
    }

    @Test
    void checkWhenOneOfSeveralAddressesIsPrivateShouldRefuse() {
        EndpointPolicy policy = new EndpointPolicy(false, FAKE_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("mixed.example:9121")))
                .withMessageContaining("resolves to 192.168.1.1, a private address (RFC 1918)");
    }

    @Test
    void checkWhenHostResolvesOnlyToPublicAddressesShouldPass() {
        EndpointPolicy policy = new EndpointPolicy(false, FAKE_DNS);
        assertThatNoException().isThrownBy(() -> policy.check(Endpoint.parse("public.example:9121")));
    }

    @Test
    void checkWhenHostDoesNotResolveShouldSaySo() {
        EndpointPolicy policy = new EndpointPolicy(false, FAKE_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("nope.invalid:9121")))
                .withMessage("endpoint host 'nope.invalid' does not resolve");
    }

    @Test
    void checkWhenResolverAnswersNoAddressesShouldSayHostDoesNotResolve() {
        EndpointPolicy policy = new EndpointPolicy(false, (host) -> new InetAddress[0]);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("empty.example:9121")))
                .withMessage("endpoint host 'empty.example' does not resolve");
    }

    @Test
    void checkWhenLocalhostThroughSystemResolverShouldRefuseLoopback() {
        EndpointPolicy policy = new EndpointPolicy(false);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse("localhost:9121")))
                .withMessageContaining("a loopback address");
    }

    @Test
    void resolveForConnectWhenDnsRebindsToLoopbackShouldRefuse() {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding =
                (host) -> addresses((lookups.getAndIncrement() == 0) ? List.of("93.184.216.34") : List.of("127.0.0.1"));
        EndpointPolicy policy = new EndpointPolicy(false, rebinding);
        Endpoint endpoint = Endpoint.parse("rebind.example:9121");
        policy.check(endpoint);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.resolveForConnect(endpoint))
                .withMessageContaining("resolves to 127.0.0.1, a loopback address");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void resolveForConnectShouldReturnTheFirstResolvedAddress() throws UnknownHostException {
        EndpointPolicy policy = new EndpointPolicy(false, FAKE_DNS);
        assertThat(policy.resolveForConnect(Endpoint.parse("public.example:9121")))
                .isEqualTo(InetAddress.getByName("93.184.216.34"));
        assertThat(policy.resolveForConnect(Endpoint.parse("8.8.8.8:9121")))
                .isEqualTo(InetAddress.getByName("8.8.8.8"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1:9121",
                "10.1.2.3:9121",
                "172.16.5.4:9121",
                "192.168.1.20:9121",
                "100.64.0.7:9121",
                "169.254.10.20:9121",
                "[::1]:9121",
                "[fd12::1]:9121",
                "[fe80::1]:9121",
                "[::ffff:192.168.1.20]:9121",
                "lan.example:9121",
                "evil.example:9121"
            })
    void checkWhenPrivateAllowedShouldAcceptLanAddresses(String value) {
        EndpointPolicy policy = new EndpointPolicy(true, FAKE_DNS);
        assertThatNoException().isThrownBy(() -> policy.check(Endpoint.parse(value)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0.0.0:9121, unspecified",
        "[::]:9121, unspecified",
        "224.0.0.1:9121, multicast",
        "[ff02::1]:9121, multicast",
        "255.255.255.255:9121, broadcast",
        "169.254.169.254:80, cloud metadata",
        "[fd00:ec2::254]:80, cloud metadata",
        "[::ffff:169.254.169.254]:80, cloud metadata",
        "[64:ff9b::a9fe:a9fe]:80, cloud metadata",
        "metadata.example:80, cloud metadata"
    })
    void checkWhenPrivateAllowedShouldStillRefuseUnreachableAndMetadataAddresses(String value, String reason) {
        EndpointPolicy policy = new EndpointPolicy(true, FAKE_DNS);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> policy.check(Endpoint.parse(value)))
                .withMessageContaining(reason)
                .withMessageEndingWith("this is refused even with --allow-private");
    }

    private static HostResolver fakeDns(Map<String, List<String>> answers) {
        return (host) -> {
            List<String> literals = answers.get(host);
            if (literals == null) {
                throw new UnknownHostException(host);
            }
            return addresses(literals);
        };
    }

    private static InetAddress[] addresses(List<String> literals) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[literals.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(literals.get(i));
        }
        return addresses;
    }
}
