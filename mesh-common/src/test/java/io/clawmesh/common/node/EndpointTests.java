package io.clawmesh.common.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTests {

    @Test
    void parseWhenIpv4AndPortShouldSplitThem() {
        Endpoint endpoint = Endpoint.parse("192.168.1.20:9121");

        assertThat(endpoint.host()).isEqualTo("192.168.1.20");
        assertThat(endpoint.port()).isEqualTo(9121);
        assertThat(endpoint.isIpLiteral()).isTrue();
        assertThat(endpoint).hasToString("192.168.1.20:9121");
    }

    @Test
    void parseWhenHostNameShouldLowerCaseIt() {
        Endpoint endpoint = Endpoint.parse("Mac-Mini.Local:9121");

        assertThat(endpoint.host()).isEqualTo("mac-mini.local");
        assertThat(endpoint.isIpLiteral()).isFalse();
        assertThat(endpoint).hasToString("mac-mini.local:9121");
    }

    @Test
    void parseWhenBracketedIpv6ShouldKeepBracketsInToString() {
        Endpoint endpoint = Endpoint.parse("[2001:DB8::1]:9121");

        assertThat(endpoint.host()).isEqualTo("2001:db8::1");
        assertThat(endpoint.port()).isEqualTo(9121);
        assertThat(endpoint.isIpLiteral()).isTrue();
        assertThat(endpoint).hasToString("[2001:db8::1]:9121");
    }

    @Test
    void parseWhenPortOnTheBoundsShouldAccept() {
        assertThat(Endpoint.parse("node:1").port()).isEqualTo(1);
        assertThat(Endpoint.parse("node:65535").port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://192.168.1.20:9121", "192.168.1.20:9121/api", "user@host:9121", "host:9121?x=1"})
    void parseWhenUrlShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' must be host:port, not a URL");
    }

    @Test
    void parseWhenBlankShouldSayTheFormat() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(" "))
                .withMessage("endpoint is required, as host:port (for example 192.168.1.20:9121)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.20", "mac-mini", ":9121"})
    void parseWhenPortOrHostMissingShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' must be host:port (IPv6 as [addr]:port)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:", "host:abc", "host:-1", "host:123456"})
    void parseWhenPortNotNumericShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' needs a numeric port");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536, 99999})
    void parseWhenPortOutOfRangeShouldRefuse(int port) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse("host:" + port))
                .withMessage("endpoint 'host:" + port + "' has port " + port + " outside 1-65535");
    }

    @Test
    void parseWhenIpv6WithoutBracketsShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse("2001:db8::1:9121"))
                .withMessage("endpoint '2001:db8::1:9121' must be host:port (IPv6 as [addr]:port)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2001:db8::1]", "[2001:db8::1]9121", "[2001:db8::1:9121"})
    void parseWhenBracketedIpv6WithoutPortShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' must be [ipv6]:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[mac-mini]:9121", "[1234]:9121", "[zz::1]:9121"})
    void parseWhenBracketsHoldNoIpv6ShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' has an invalid IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-node:9121", "node-:9121", "no_de:9121", "a..b:9121", "ho st:9121", "node%0a:9121"})
    void parseWhenHostNameIsBadShouldRefuse(String value) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessage("endpoint '" + value + "' has an invalid host name");
    }

    @Test
    void parseWhenLabelTooLongShouldRefuse() {
        String value = "a".repeat(64) + ".example:9121";

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Endpoint.parse(value))
                .withMessageEndingWith("has an invalid host name");
    }
}
